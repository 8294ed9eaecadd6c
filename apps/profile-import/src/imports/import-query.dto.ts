import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { isCalendarDay } from './import-inputs';
import { PROFILE_DATASETS, type ProfileDataset } from '@optimove/contracts';
import { IMPORT_STATUSES, type ImportStatus } from '../database/entities/import.entity';

// A larger offset is no exact integer in JavaScript and, once written into SQL, no bigint (a 500).
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

const toBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value));

/** Query of `POST /imports/{dataset}`. */
export class UploadQueryDto {
  /** Apply even when the same file (same SHA-256) was applied before. */
  @IsOptional()
  @toBoolean()
  @IsBoolean()
  force?: boolean;

  /** Business day the file describes; default: from the file name (`_YYYYMMDD`), else today. */
  @IsOptional()
  @ValidateBy({ name: 'isCalendarDay', validator: { validate: (value: unknown) => typeof value === 'string' && isCalendarDay(value) } }, { message: 'asOf must be a calendar day (YYYY-MM-DD)' })
  asOf?: string;

  /** Name of the file as delivered (or the `X-File-Name` header, or the multipart file name). */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'fileName must not hold control characters' })
  fileName?: string;
}

/** Query of `GET /imports`. */
export class ListImportsQueryDto {
  @IsOptional()
  @IsIn(PROFILE_DATASETS)
  dataset?: ProfileDataset;

  @IsOptional()
  @IsIn(IMPORT_STATUSES)
  status?: ImportStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset = 0;
}

/** Query of `GET /imports/{id}`: the page of rejected rows. */
export class ImportReportQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  rejectionsLimit = 100;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  rejectionsOffset = 0;
}
