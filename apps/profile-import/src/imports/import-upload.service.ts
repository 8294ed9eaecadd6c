import { BadRequestException, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { datasetDefinition } from '../datasets/dataset-definitions';
import { ImportRunner } from './import-runner.service';
import type { UploadQueryDto } from './import-query.dto';
import { toReport, type ImportReport } from './import-report';
import { uploadSource } from './upload-source';

export type UploadOutcome = { report: ImportReport; httpStatus: number; bodyLeftUnread: boolean };

/** The HTTP upload use case: stream the request body into an import. */
@Injectable()
export class ImportUploadService {
  constructor(private readonly runner: ImportRunner) {}

  async upload(dataset: string, query: UploadQueryDto, request: Request): Promise<UploadOutcome> {
    if (!datasetDefinition(dataset)) throw new BadRequestException(`unknown dataset "${dataset}": use customers or transactions`);
    const upload = await uploadSource(request);
    const header = request.headers['x-file-name'];
    const fileName = query.fileName ?? upload.fileName ?? (typeof header === 'string' ? header : undefined) ?? `${dataset}-upload.csv`;
    const { record, httpStatus } = await this.runner.run({
      dataset,
      fileName: fileName.split(/[\\/]/).pop() || fileName,
      channel: 'upload',
      source: upload.source,
      force: query.force,
      asOfDate: query.asOf,
      declaredBytes: upload.declaredBytes,
    });
    return { report: toReport(record), httpStatus, bodyLeftUnread: !request.readableEnded };
  }
}
