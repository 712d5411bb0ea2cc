import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { DomainEventRecord } from 'src/events/domain-event.entity';

/**
 * One handler's run of one event, written in the handler's own transaction: a handler whose delivery is recorded
 * is never run again for that event, however often the event is re-dispatched.
 */
@Entity('domain_event_deliveries')
export class EventDelivery {
  @PrimaryColumn('uuid')
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  handler: string;

  @CreateDateColumn({ type: 'timestamptz' })
  deliveredAt: Date;

  @ManyToOne(() => DomainEventRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: DomainEventRecord;
}
