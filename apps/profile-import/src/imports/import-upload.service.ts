import { BadRequestException, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request } from 'express';
import type { Server } from 'node:http';
import { ProfileImportConfig } from '../config/profile-import.config';
import { datasetDefinition } from '../datasets/dataset-definitions';
import type { ImportOutcome } from './import-outcome';
import { ImportRunner } from './import-runner.service';
import type { UploadQueryDto } from './import-query.dto';
import { toReport, type ImportReport } from './import-report';
import { uploadSource } from './upload-source';

export type UploadResult = { report: ImportReport; outcome: ImportOutcome; bodyLeftUnread: boolean };

/** The HTTP upload use case: stream the request body into an import. */
@Injectable()
export class ImportUploadService implements OnApplicationBootstrap {
  constructor(
    private readonly runner: ImportRunner,
    private readonly config: ProfileImportConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Node ends a request after 300 s (`requestTimeout`) however steadily it streams: a large file
   * on a slow line would fail for no fault. Uploads are limited by IMPORT_UPLOAD_IDLE_TIMEOUT_MS
   * instead (no bytes for that long), which says why when it stops one.
   */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) server.requestTimeout = 0;
  }

  async upload(dataset: string, query: UploadQueryDto, request: Request): Promise<UploadResult> {
    if (!datasetDefinition(dataset)) throw new BadRequestException(`unknown dataset "${dataset}": use customers or transactions`);
    const upload = await uploadSource(request, this.config.IMPORT_UPLOAD_IDLE_TIMEOUT_MS);
    const header = request.headers['x-file-name'];
    const fileName = query.fileName ?? upload.fileName ?? (typeof header === 'string' ? header : undefined) ?? `${dataset}-upload.csv`;
    const { record, outcome } = await this.runner.run({
      dataset,
      fileName,
      channel: 'upload',
      source: upload.source,
      force: query.force,
      asOfDate: query.asOf,
      declaredBytes: upload.declaredBytes,
    });
    return { report: toReport(record), outcome, bodyLeftUnread: !request.readableEnded };
  }
}
