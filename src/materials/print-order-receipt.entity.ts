import { CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PrintOrder } from 'src/materials/print-order.entity';

/** A trainee's word that their printed copy from an order reached them; the first confirmation is the one kept. */
@Entity('print_order_receipts')
export class PrintOrderReceipt {
  @PrimaryColumn({ type: 'uuid' })
  orderId: string;

  @ManyToOne(() => PrintOrder, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order?: PrintOrder;

  @PrimaryColumn({ type: 'uuid' })
  traineeId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  confirmedAt: Date;
}
