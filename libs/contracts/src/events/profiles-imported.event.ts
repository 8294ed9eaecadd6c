import { IsBoolean, IsDateString, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';

export const PROFILE_DATASETS = ['customers', 'transactions'] as const;
export type ProfileDataset = (typeof PROFILE_DATASETS)[number];

/** `profiles.imported.v1`: a profile file was validated and applied to the profiles schema. */
export class ProfilesImportedV1 {
  /** Id of the import in profile-import's report API. */
  @IsUUID()
  importId!: string;

  /** Which dataset the file held. */
  @IsIn(PROFILE_DATASETS)
  dataset!: ProfileDataset;

  /** Name of the source file as delivered (no path). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  sourceFileName!: string;

  /** The business day the file describes, YYYY-MM-DD. */
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsDateString({ strict: true })
  asOfDate!: string;

  /** Data rows read from the file. */
  @IsInt()
  @Min(0)
  rowsRead!: number;

  /** Rows applied to the profiles tables. */
  @IsInt()
  @Min(0)
  rowsLoaded!: number;

  /** Rows quarantined with a reason. */
  @IsInt()
  @Min(0)
  rowsRejected!: number;

  /** SHA-256 of the file's bytes, hex. */
  @Matches(/^[0-9a-f]{64}$/)
  checksum!: string;

  /**
   * True when the file's row count is beyond IMPORT_VOLUME_FACTOR of the trailing average of the
   * dataset's last 7 imports (a drop or a spike): the data was applied, but a consumer may want a
   * person to look first. Optional: absent from events of producers that predate it.
   */
  @IsOptional()
  @IsBoolean()
  suspicious?: boolean;
}
