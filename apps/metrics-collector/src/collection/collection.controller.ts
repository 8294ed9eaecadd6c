import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CollectionService, type FetchStatus } from './collection.service';

@ApiTags('collection')
@ApiBearerAuth()
@Controller('executions')
export class CollectionController {
  constructor(private readonly collection: CollectionService) {}

  @Get(':executionId/snapshots')
  @ApiOperation({ summary: "The execution's snapshot fetches (day 0 after the send ends, then daily) and the snapshots stored" })
  snapshots(@Param('executionId', new ParseUUIDPipe()) executionId: string): Promise<FetchStatus[]> {
    return this.collection.forExecution(executionId);
  }
}
