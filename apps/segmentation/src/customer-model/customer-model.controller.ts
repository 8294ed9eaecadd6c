import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { LIFECYCLE_STAGES } from './lifecycle';
import { DIMENSIONS, ModelQueriesService, type CustomerHistory, type Dimension, type DistributionDay, type StageChangeRow } from './model-queries.service';

class DistributionQuery {
  @ApiPropertyOptional({ example: '2026-09-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from!: string;

  @ApiPropertyOptional({ example: '2026-11-29' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to!: string;

  @ApiPropertyOptional({ enum: DIMENSIONS, default: 'lifecycle_stage' })
  @IsOptional()
  @IsIn(DIMENSIONS)
  dimension?: Dimension;
}

class ChangersQuery {
  @ApiPropertyOptional({ example: '2026-11-29', description: 'The day the change took effect' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date!: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  from?: string;

  @ApiPropertyOptional({ enum: LIFECYCLE_STAGES })
  @IsOptional()
  @IsIn(LIFECYCLE_STAGES)
  to?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

@ApiTags('model')
@ApiBearerAuth()
@Controller('model')
export class CustomerModelController {
  constructor(private readonly queries: ModelQueriesService) {}

  @Get()
  @ApiOperation({ summary: "The model's date, size and global control share" })
  status(): ReturnType<ModelQueriesService['status']> {
    return this.queries.status();
  }

  @Get('distribution')
  @ApiOperation({ summary: 'Customers per lifecycle stage (or micro-segment) on each day of a range (at most 366 days)' })
  distribution(@Query() query: DistributionQuery): Promise<DistributionDay[]> {
    return this.queries.distribution(query.dimension ?? 'lifecycle_stage', query.from, query.to);
  }

  @Get('changers')
  @ApiOperation({ summary: 'Customers whose lifecycle stage changed on a day (e.g. from=active&to=at_risk), paged by customer id' })
  changers(@Query() query: ChangersQuery): Promise<{ date: string; total: number; items: StageChangeRow[] }> {
    return this.queries.changers(query.date, { from: query.from, to: query.to, limit: query.limit ?? 100, offset: query.offset ?? 0 });
  }

  @Get('customers/:customerId')
  @ApiOperation({ summary: "One customer's current model and its history of stage and micro-segment changes" })
  customer(@Param('customerId') customerId: string): Promise<CustomerHistory> {
    return this.queries.customer(customerId);
  }
}
