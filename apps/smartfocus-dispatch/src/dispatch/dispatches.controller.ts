import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListDispatchesQueryDto } from './dispatch-query.dto';
import { DispatchesService, type DispatchView } from './dispatches.service';

@ApiTags('dispatches')
@ApiBearerAuth()
@Controller('dispatches')
export class DispatchesController {
  constructor(private readonly dispatches: DispatchesService) {}

  @Get()
  @ApiOperation({ summary: "Each group's dispatch: state, SmartFocus ids, counts, attempts, last error" })
  list(@Query() query: ListDispatchesQueryDto): Promise<{ total: number; items: DispatchView[] }> {
    return this.dispatches.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: "One group's dispatch" })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<DispatchView> {
    return this.dispatches.get(id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a failed dispatch again from its last completed step (409 when it is not failed)' })
  retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<DispatchView> {
    return this.dispatches.retry(id);
  }
}
