import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, toInteger } from '@optimove/config';

/** Environment of the smartfocus-dispatch service; every variable is listed in .env.example. */
export class SmartFocusDispatchConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3003;
}
