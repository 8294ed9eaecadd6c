import { REDACTED_TEXT, registerRedactionPattern } from '@optimove/observability';
import { SMARTFOCUS_MODULES } from './smartfocus-operation.decorator';

/**
 * The simulator's request log shows the paths it serves, and those carry the credentials
 * (`connect/open/{login}/{password}/{key}`) and the session token (the segment after the
 * operation, or after `segmentationservice/`): masked by the shape of our own routes.
 */
export function registerRouteRedaction(): void {
  const modules = SMARTFOCUS_MODULES.join('|');
  registerRedactionPattern(/(\/connect\/open)\/[^\s"'?#]+/gi, `$1/${REDACTED_TEXT}`);
  registerRedactionPattern(new RegExp(`(/(?:${modules})/services/rest/\\w+/\\w+/)[^/\\s"'?#]+`, 'g'), `$1${REDACTED_TEXT}`);
  registerRedactionPattern(/(\/(?:segmentationservice|batchmemberservice)\/)[^/\s"'?#]+/g, `$1${REDACTED_TEXT}`);
}
