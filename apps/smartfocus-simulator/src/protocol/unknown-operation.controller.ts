import { All, Param } from '@nestjs/common';
import { SmartFocusFault } from './smartfocus-fault';
import { SmartFocusApi } from './smartfocus-operation.decorator';
import type { SmartFocusResult } from './xml-response';

/** Any other path under a SmartFocus module: a failed envelope, as the real API answers. Registered last. */
@SmartFocusApi('any')
export class UnknownOperationController {
  @All(':module/services/rest/*path')
  unknown(@Param('module') module: string): SmartFocusResult {
    throw new SmartFocusFault('INVALID_PARAMETERS', `Unknown operation on ${module}.`, ['path']);
  }
}
