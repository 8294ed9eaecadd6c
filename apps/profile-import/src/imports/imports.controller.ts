import { Controller, Get, HttpException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ImportOutcome } from './import-outcome';
import { ImportReportQueryDto, ListImportsQueryDto, UploadQueryDto } from './import-query.dto';
import type { ImportReport } from './import-report';
import { ImportReportsService } from './import-reports.service';
import { ImportUploadService } from './import-upload.service';

/** The HTTP status of each import outcome (the README's table). */
export function httpStatusOf(outcome: ImportOutcome): number {
  switch (outcome) {
    case 'applied':
      return 201;
    case 'unchanged':
      return 200;
    case 'refused':
    case 'too-many-rejections':
      return 422;
    case 'too-large':
      return 413;
    case 'upload-interrupted':
      return 400;
    case 'upload-stalled':
      return 408;
    case 'error':
      return 500;
  }
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly uploads: ImportUploadService,
    private readonly reports: ImportReportsService,
  ) {}

  @Post(':dataset')
  @ApiOperation({ summary: 'Import a customers or transactions file streamed as the request body (CSV, optionally gzip) or as a multipart file part' })
  @ApiConsumes('text/csv', 'application/gzip', 'application/octet-stream', 'multipart/form-data')
  @ApiBody({ description: 'The file: CSV (comma, semicolon or tab; UTF-8), optionally gzip-compressed', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 201, description: 'applied' })
  @ApiResponse({ status: 200, description: 'unchanged: the same file as the latest applied one' })
  @ApiResponse({ status: 400, description: 'bad request (dataset, query, multipart body), or the upload was cut off' })
  @ApiResponse({ status: 408, description: 'the upload stalled (IMPORT_UPLOAD_IDLE_TIMEOUT_MS)' })
  @ApiResponse({ status: 413, description: 'over IMPORT_MAX_FILE_BYTES or IMPORT_MAX_UNCOMPRESSED_BYTES' })
  @ApiResponse({ status: 422, description: 'refused (the file is invalid) or failed (too many rejected lines)' })
  @ApiResponse({ status: 500, description: 'failed by an error of the service' })
  async upload(
    @Param('dataset') dataset: string,
    @Query() query: UploadQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport> {
    const { report, outcome, bodyLeftUnread } = await this.uploads.upload(dataset, query, request);
    // A refused upload may still be streaming in: close the connection instead of draining it.
    if (bodyLeftUnread) response.setHeader('Connection', 'close');
    const status = httpStatusOf(outcome);
    if (status >= 400) throw new HttpException(report, status);
    response.status(status);
    return report;
  }

  @Get()
  @ApiOperation({ summary: 'Import reports, newest first' })
  list(@Query() query: ListImportsQueryDto): Promise<{ total: number; items: ImportReport[] }> {
    return this.reports.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One import report with a page of its rejected rows' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: ImportReportQueryDto): Promise<ImportReport> {
    return this.reports.get(id, { offset: query.rejectionsOffset, limit: query.rejectionsLimit });
  }
}
