import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig, toInteger } from '@optimove/config';

/** Environment of the profile-import service; every variable is listed in .env.example. */
export class ProfileImportConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3001;
}
