import { Get, Param, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseFlag, parseId, requireText } from '../protocol/parameters';
import { RequestBodyReader, parseXmlRoot, xmlList, xmlObject, xmlText } from '../protocol/request-body';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import { BatchUploadsService } from './batch-uploads.service';
import { isMemberColumn, type MemberColumn } from './members.service';

const SEPARATORS: Record<string, string> = { ',': ',', ';': ';', '|': '|', tab: '\t' };
const MERGE_KEYS = new Set(['EMAIL', 'LOWER(EMAIL)']);

/** Batch member uploads on apibatchmember (reference §8.3). */
@SmartFocusApi('apibatchmember')
export class BatchMemberController {
  constructor(
    private readonly uploads: BatchUploadsService,
    private readonly body: RequestBodyReader,
  ) {}

  @Put('batchmemberservice/:token/batchmember/mergeUpload')
  @SmartFocusOperation('batchmember/mergeUpload')
  async mergeUpload(@Req() request: Request): Promise<SmartFocusResult> {
    const parts = await this.body.multipart(request);
    const description = parts.get('mergeUpload');
    const file = parts.get('inputStream');
    if (!description) throw SmartFocusFault.invalid('mergeUpload', 'The mergeUpload part is missing.');
    if (!file) throw new SmartFocusFault('INVALID_FILE', 'The inputStream part (the file) is missing.', ['inputStream']);
    const upload = parseXmlRoot(description.toString('utf8'), ['mergeUpload']);
    const separator = SEPARATORS[xmlText(upload, 'separator') ?? ','];
    if (!separator) throw SmartFocusFault.invalid('separator', 'separator must be , ; | or tab.');
    const criteria = requireText(xmlText(upload, 'criteria'), 'criteria').toUpperCase();
    if (!MERGE_KEYS.has(criteria)) throw SmartFocusFault.invalid('criteria', 'The simulator merges on EMAIL or LOWER(EMAIL).');
    const skipFirstLine = parseFlag(xmlText(upload, 'skipFirstLine') ?? 'false', 'skipFirstLine');
    const id = await this.uploads.mergeUpload({
      fileName: requireText(xmlText(upload, 'fileName'), 'fileName'),
      content: file,
      format: { delimiter: separator, skipFirstLine, columns: mappingOf(upload['mapping'], skipFirstLine) },
    });
    return result.long(id);
  }

  @Get('batchmemberservice/:token/batchmember/:uploadId/getUploadStatus')
  @SmartFocusOperation('batchmember/getUploadStatus')
  async status(@Param('uploadId') uploadId: string): Promise<SmartFocusResult> {
    const upload = await this.uploads.status(parseId(uploadId, 'uploadId'));
    return result.element('uploadStatus', { status: upload.status, details: upload.details });
  }
}

/** `<mapping><column><colNum>1</colNum><fieldName>EMAIL</fieldName></column>...`; without one, the header line maps. */
function mappingOf(mapping: Parameters<typeof xmlObject>[0], skipFirstLine: boolean): 'header' | (MemberColumn | null)[] {
  const columns = xmlList(xmlObject(mapping, 'mapping'), 'column').map((node) => xmlObject(node, 'column'));
  if (columns.length === 0) {
    if (!skipFirstLine) throw SmartFocusFault.invalid('mapping', 'Without a mapping, the first line must name the columns (skipFirstLine true).');
    return 'header';
  }
  const byNumber: (MemberColumn | null)[] = [];
  for (const column of columns) {
    const colNum = Number(parseId(xmlText(column, 'colNum'), 'colNum'));
    const fieldName = requireText(xmlText(column, 'fieldName'), 'fieldName').toUpperCase();
    if (!isMemberColumn(fieldName)) throw SmartFocusFault.invalid('fieldName', `${fieldName} is not a column of the member table.`);
    if (colNum < 1 || colNum > 1_000) throw SmartFocusFault.invalid('colNum', 'colNum must be between 1 and 1000.');
    byNumber[colNum - 1] = fieldName;
  }
  if (!byNumber.includes('EMAIL')) throw SmartFocusFault.invalid('mapping', 'The mapping must include EMAIL (the merge key).');
  return Array.from(byNumber, (column) => column ?? null);
}
