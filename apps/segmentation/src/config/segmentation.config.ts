import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, toInteger } from '@optimove/config';

/** Environment of the segmentation service; every variable is listed in .env.example. */
export class SegmentationConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3002;
}
