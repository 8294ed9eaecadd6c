import { Transform } from 'class-transformer';
import { ArrayMinSize, IsArray, IsInt, IsNumber, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, toInteger, toList } from '@optimove/config';
import { DEFAULT_PII_HEADER_DENY_LIST } from '../datasets/pii-columns';

const toNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value));

/** Environment of the profile-import service; every variable is listed in .env.example. */
export class ProfileImportConfig extends BaseServiceConfig {
  @toInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  override HTTP_PORT = 3001;

  /** Largest file accepted, in bytes as delivered (compressed size for .gz); refused while streaming. */
  @toInteger()
  @IsInt()
  @Min(1)
  IMPORT_MAX_FILE_BYTES = 2_147_483_648;

  /** Largest file after decompression, in bytes (guards against gzip bombs); 0 means 4 x IMPORT_MAX_FILE_BYTES. */
  @toInteger()
  @IsInt()
  @Min(0)
  IMPORT_MAX_UNCOMPRESSED_BYTES = 0;

  /** An upload that sends no bytes for this long is stopped (408); Node's request timeout is off for this service. */
  @toInteger()
  @IsInt()
  @Min(100)
  IMPORT_UPLOAD_IDLE_TIMEOUT_MS = 60_000;

  /** Largest share of rejected rows, in percent, before the whole import fails and nothing is applied. */
  @toNumber()
  @IsNumber()
  @Min(0)
  @Max(100)
  IMPORT_MAX_REJECTED_PERCENT = 1;

  /** A row count above average x factor, or below average / factor, of the last 7 imports is suspicious. */
  @toNumber()
  @IsNumber()
  @Min(1)
  IMPORT_VOLUME_FACTOR = 2;

  /** Earlier applied imports of the dataset needed before the volume check says anything. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(7)
  IMPORT_VOLUME_MIN_HISTORY = 3;

  /** Watched folder for `<dataset>_<YYYYMMDD>*.csv[.gz]`; empty disables the watcher. */
  @IsString()
  IMPORT_INBOX_DIR = '';

  /** How long a file in the inbox must stay unchanged before it is imported (it may still be written). */
  @toInteger()
  @IsInt()
  @Min(0)
  IMPORT_INBOX_STABLE_MS = 2_000;

  /** Header spellings of personal-data columns that are dropped (e-mail, names, phones, addresses). */
  @toList()
  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^[A-Za-z0-9_ -]+$/, { each: true, message: 'IMPORT_PII_HEADER_DENY_LIST must be a comma-separated list of header spellings' })
  IMPORT_PII_HEADER_DENY_LIST: string[] = [...DEFAULT_PII_HEADER_DENY_LIST];

  /** Longest customer_id or transaction_id, in characters. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(1_000)
  IMPORT_MAX_ID_LENGTH = 64;

  /** Longest text attribute value, in characters. */
  @toInteger()
  @IsInt()
  @Min(1)
  @Max(100_000)
  IMPORT_MAX_TEXT_LENGTH = 1_000;

  /** Longest record of a file, in bytes; a longer one refuses the file (usually a quote left open). */
  @toInteger()
  @IsInt()
  @Min(1_024)
  IMPORT_MAX_RECORD_BYTES = 4_194_304;

  /** Most physical lines one record may span (line breaks inside quotes); more refuses the file (an unclosed quote). */
  @toInteger()
  @IsInt()
  @Min(1)
  IMPORT_MAX_RECORD_LINES = 100;

  /** Rejected rows kept with line, column and reason per import (all are counted). */
  @toInteger()
  @IsInt()
  @Min(0)
  IMPORT_MAX_REJECTION_DETAILS = 10_000;

  /** IMPORT_MAX_UNCOMPRESSED_BYTES, or 4 x IMPORT_MAX_FILE_BYTES when it is 0. */
  maxUncompressedBytes(): number {
    return this.IMPORT_MAX_UNCOMPRESSED_BYTES > 0 ? this.IMPORT_MAX_UNCOMPRESSED_BYTES : 4 * this.IMPORT_MAX_FILE_BYTES;
  }
}
