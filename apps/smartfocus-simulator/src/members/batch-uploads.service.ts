import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { MemberCsvLoader, MemberFileError, type MemberCsvFormat } from './member-csv.loader';
import { MemberUploadEntity } from './member-upload.entity';

export type MergeUploadRequest = { fileName: string; format: MemberCsvFormat; content: Buffer };

/**
 * Batch uploads (`mergeUpload`). The file is imported while the request runs, so the upload is
 * DONE (or DONE WITH ERROR(S), or ERROR) by the first status poll.
 */
@Injectable()
export class BatchUploadsService {
  constructor(
    @InjectRepository(MemberUploadEntity) private readonly uploads: Repository<MemberUploadEntity>,
    private readonly loader: MemberCsvLoader,
    private readonly clock: SimulatorClock,
  ) {}

  async mergeUpload(request: MergeUploadRequest): Promise<string> {
    const now = this.clock.now();
    const upload = await this.uploads.save(
      this.uploads.create({ kind: 'mergeUpload', fileName: request.fileName, status: 'IMPORTING', details: '', rowsRead: 0, rowsMerged: 0, rowsRejected: 0, createdAt: now, updatedAt: now }),
    );
    try {
      const report = await this.loader.load(Readable.from([request.content]), request.format);
      await this.uploads.update(
        { id: upload.id },
        {
          status: report.rejected > 0 ? 'DONE WITH ERROR(S)' : 'DONE',
          details: [`${report.rowsRead} rows read, ${report.inserted} inserted, ${report.updated} updated, ${report.rejected} rejected`, ...report.rejections].join('\n'),
          rowsRead: report.rowsRead,
          rowsMerged: report.inserted + report.updated,
          rowsRejected: report.rejected,
          updatedAt: this.clock.now(),
        },
      );
    } catch (error) {
      if (!(error instanceof MemberFileError) && !isCsvError(error)) throw error;
      await this.uploads.update({ id: upload.id }, { status: 'ERROR', details: error.message, updatedAt: this.clock.now() });
    }
    return upload.id;
  }

  async status(uploadId: string): Promise<MemberUploadEntity> {
    const upload = await this.uploads.findOneBy({ id: uploadId, kind: 'mergeUpload' });
    if (!upload) throw new SmartFocusFault('INVALID_UPLOAD_ID', `No upload with id ${uploadId}.`, ['uploadId']);
    return upload;
  }
}

/** csv-parse errors carry a CSV_* code; their message names the line, not its content. */
function isCsvError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('CSV_');
}
