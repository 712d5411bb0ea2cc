import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { NumberFromText, Omittable, SingleLineText } from 'src/common/validators';
import { MAX_PRINTED_COPIES, PRINT_ORDER_STATUSES, PrintOrderStatus } from 'src/materials/print-order.entity';

const COPIES_MESSAGE = `Order from 1 to ${MAX_PRINTED_COPIES} copies, as a whole number`;

export class CreatePrintOrderDto {
  @ApiProperty({ description: 'A material of the cohort’s course that has an edition' })
  @IsUUID('all', { message: 'Choose a material of the cohort’s course' })
  materialId: string;

  @ApiProperty({ example: 12, minimum: 1, maximum: MAX_PRINTED_COPIES })
  @Max(MAX_PRINTED_COPIES, { message: COPIES_MESSAGE })
  @Min(1, { message: COPIES_MESSAGE })
  @IsInt({ message: COPIES_MESSAGE })
  @NumberFromText()
  copies: number;
}

export class UpdatePrintOrderDto {
  @ApiProperty({
    enum: PRINT_ORDER_STATUSES,
    description: 'requested → dispatched (with trackingRef) → received; requested → cancelled',
  })
  @IsIn(PRINT_ORDER_STATUSES, {
    message: `Choose a status: one of ${PRINT_ORDER_STATUSES.join(', ')}`,
  })
  status: PrintOrderStatus;

  @ApiPropertyOptional({ description: 'The courier’s reference; required with, and only with, dispatched' })
  @ValidateIf((dto: UpdatePrintOrderDto) => dto.status === 'dispatched' || dto.trackingRef !== undefined)
  @ValidateBy({
    name: 'onlyWhenDispatched',
    validator: {
      validate: (_value, args) => (args?.object as UpdatePrintOrderDto).status === 'dispatched',
      defaultMessage: () => 'Give a tracking reference only when marking the order dispatched',
    },
  })
  @SingleLineText(100, {
    empty: 'Enter the tracking reference of the parcel',
    tooLong: 'The tracking reference must be 100 characters or fewer',
  })
  trackingRef?: string;
}

export const PRINT_ORDER_FILTERS = ['outstanding', ...PRINT_ORDER_STATUSES] as const;
export type PrintOrderFilter = (typeof PRINT_ORDER_FILTERS)[number];

export class PrintOrdersQuery {
  @ApiPropertyOptional({
    enum: PRINT_ORDER_FILTERS,
    description: 'outstanding: requested or dispatched, not yet received',
  })
  @Omittable()
  @IsIn(PRINT_ORDER_FILTERS, { message: `Choose a status: one of ${PRINT_ORDER_FILTERS.join(', ')}` })
  status?: PrintOrderFilter;
}
