import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { MessagesService, type TemplateMessage } from './messages.service';

/**
 * The preview is the message's own HTML: shown in a sandboxed frame, it may load images and
 * inline styles but never run a script, submit a form or navigate its parent.
 */
export const PREVIEW_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline' https:; font-src https: data:; script-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox";

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({ summary: 'The optimove_ template messages in SmartFocus (id, name, subject, created), cached briefly' })
  list(): Promise<TemplateMessage[]> {
    return this.messages.templates();
  }

  @Get(':id/preview')
  @ApiOperation({ summary: "An optimove_ message's HTML, with a Content-Security-Policy that lets no script run" })
  @ApiProduces('text/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PREVIEW_CONTENT_SECURITY_POLICY)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  preview(@Param('id') id: string): Promise<string> {
    return this.messages.previewHtml(id);
  }
}
