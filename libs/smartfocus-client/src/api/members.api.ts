import { randomBytes } from 'node:crypto';
import type { SmartFocusCaller } from '../http/smartfocus-caller';
import { pathOf } from '../http/smartfocus-caller';
import { SmartFocusValidationError } from '../errors/smartfocus-errors';
import type { MemberJobStatus, MemberUpsert, MergeUpload, UploadStatus } from '../types';
import { decodeId, decodeMemberJobStatus, decodeUploadStatus } from '../xml/decoders';
import { xmlDocument } from '../xml/request-builder';

/** Members on `apimember` (one at a time) and `apibatchmember` (file uploads). */
export class MembersApi {
  constructor(private readonly caller: SmartFocusCaller) {}

  /** `POST member/insertOrUpdateMember/{token}`: updates the matching members or inserts one; returns the job id. */
  async insertOrUpdate(member: MemberUpsert): Promise<number> {
    const match = member.match ?? { EMAIL: member.email };
    const pairs = Object.entries(match);
    // SmartFocus refuses a memberUID holding spaces or newlines (reference §8.2), and `|` and `:`
    // delimit its pairs: such a key cannot be expressed, so it is refused before any call.
    if (pairs.some(([field, value]) => /[\s|:]/.test(field) || /[\s|]/.test(value))) {
      throw new SmartFocusValidationError('a memberUID field or value holds whitespace or |, which SmartFocus cannot match on', {
        operation: 'member/insertOrUpdateMember',
        fields: ['memberUID'],
      });
    }
    const content = xmlDocument('synchroMember', {
      memberUID: pairs.map(([field, value]) => `${field}:${value}`).join('|'),
      dynContent: { entry: Object.entries(member.fields ?? {}).map(([key, value]) => ({ key, value })) },
      email: member.email,
    });
    return await this.caller.call(
      {
        module: 'apimember',
        operation: 'member/insertOrUpdateMember',
        method: 'POST',
        path: (token) => pathOf('member', 'insertOrUpdateMember', token),
        body: { contentType: 'application/xml; charset=utf-8', content },
        // Insert-or-update by key: doing it twice leaves the same member.
        retryTransient: true,
      },
      decodeId,
    );
  }

  jobStatus(jobId: number): Promise<MemberJobStatus> {
    return this.caller.get('apimember', 'member/getMemberJobStatus', (token) => pathOf('member', 'getMemberJobStatus', token, jobId), decodeMemberJobStatus);
  }

  /**
   * `PUT batchmemberservice/{token}/batchmember/mergeUpload`: a multipart request with the
   * `<mergeUpload>` description and the file (base64, line ends made CRLF). Returns the upload id. A merge is
   * idempotent (same key, same values), so it is retried after a transient failure.
   */
  mergeUpload(upload: MergeUpload): Promise<number> {
    const description = xmlDocument('mergeUpload', {
      fileName: upload.fileName,
      fileEncoding: 'UTF-8',
      separator: upload.separator ?? ',',
      skipFirstLine: upload.skipFirstLine ?? false,
      dateFormat: 'yyyy-MM-dd',
      criteria: upload.criteria ?? 'EMAIL',
      mapping: { column: upload.columns.map((fieldName, index) => ({ colNum: index + 1, fieldName, toReplace: true })) },
    });
    const boundary = `----smartfocus${randomBytes(12).toString('hex')}`;
    const content = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="mergeUpload"',
      'Content-Type: text/xml',
      '',
      description,
      `--${boundary}`,
      `Content-Disposition: form-data; name="inputStream"; filename="${upload.fileName.replace(/["\r\n]/g, '_')}"`,
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      // SmartFocus reads CRLF-delimited lines (reference §8.3): a file of LF lines would be one line.
      Buffer.from(upload.content.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8').toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    return this.caller.call(
      {
        module: 'apibatchmember',
        operation: 'batchmember/mergeUpload',
        method: 'PUT',
        path: (token) => pathOf('batchmemberservice', token, 'batchmember', 'mergeUpload'),
        body: { contentType: `multipart/form-data; boundary=${boundary}`, content },
        retryTransient: true,
      },
      decodeId,
    );
  }

  uploadStatus(uploadId: number): Promise<UploadStatus> {
    return this.caller.get('apibatchmember', 'batchmember/getUploadStatus', (token) => pathOf('batchmemberservice', token, 'batchmember', uploadId, 'getUploadStatus'), (body) => decodeUploadStatus(uploadId, body));
  }
}
