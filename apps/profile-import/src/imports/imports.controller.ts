import { Controller, Get, HttpException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ImportReportQueryDto, ListImportsQueryDto, UploadQueryDto } from './import-query.dto';
import type { ImportReport } from './import-report';
import { ImportReportsService } from './import-reports.service';
import { ImportUploadService } from './import-upload.service';

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
  async upload(
    @Param('dataset') dataset: string,
    @Query() query: UploadQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImportReport> {
    const { report, httpStatus, bodyLeftUnread } = await this.uploads.upload(dataset, query, request);
    // A refused upload may still be streaming in: close the connection instead of draining it.
    if (bodyLeftUnread) response.setHeader('Connection', 'close');
    if (httpStatus >= 400) throw new HttpException(report, httpStatus);
    response.status(httpStatus);
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
