import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DISPATCH_STATES, type DispatchState } from './dispatch-state';

/** Query of `GET /dispatches`. */
export class ListDispatchesQueryDto {
  @IsOptional()
  @IsUUID()
  executionId?: string;

  @IsOptional()
  @IsIn(DISPATCH_STATES)
  state?: DispatchState;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  limit = 100;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
