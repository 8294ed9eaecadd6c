import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AsOfQuery, FieldView, PreviewRuleBody, PreviewView, RuleErrorView, TargetGroupBody, TargetGroupView } from './target-group.dto';
import { TargetGroupsService } from './target-groups.service';

@ApiTags('target-groups')
@ApiBearerAuth()
@Controller('target-groups')
export class TargetGroupsController {
  constructor(private readonly targetGroups: TargetGroupsService) {}

  @Get('fields')
  @ApiOperation({ summary: "The field catalogue: the model's fields and the declared custom attributes, each with its type and operators" })
  @ApiOkResponse({ type: [FieldView] })
  fields(): Promise<FieldView[]> {
    return this.targetGroups.fields();
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Preview an unsaved rule: count, 20 sample ids, breakdown by stage, as of a day' })
  @ApiOkResponse({ type: PreviewView })
  @ApiBadRequestResponse({ description: 'Invalid rule: `errors` lists each problem with the JSON path of its node', type: [RuleErrorView] })
  preview(@Body() body: PreviewRuleBody): Promise<PreviewView> {
    return this.targetGroups.preview(body.rule, body.asOf);
  }

  @Get()
  @ApiOkResponse({ type: [TargetGroupView] })
  list(): Promise<TargetGroupView[]> {
    return this.targetGroups.list();
  }

  @Post()
  @ApiOperation({ summary: 'Create a target group (the rule is validated against the field catalogue)' })
  @ApiBadRequestResponse({ description: 'Invalid rule: `errors` lists each problem with the JSON path of its node', type: [RuleErrorView] })
  create(@Body() body: TargetGroupBody): Promise<TargetGroupView> {
    return this.targetGroups.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: TargetGroupView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TargetGroupView> {
    return this.targetGroups.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a target group; campaigns using it use the new rule from their next execution' })
  @ApiOkResponse({ type: TargetGroupView })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: TargetGroupBody): Promise<TargetGroupView> {
    return this.targetGroups.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a target group no campaign uses (409 otherwise)' })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.targetGroups.remove(id);
  }

  @Get(':id/preview')
  @ApiOperation({ summary: "Preview a saved target group as of a day (default: the model's date)" })
  @ApiOkResponse({ type: PreviewView })
  previewSaved(@Param('id', ParseUUIDPipe) id: string, @Query() query: AsOfQuery): Promise<PreviewView> {
    return this.targetGroups.previewGroup(id, query.asOf);
  }
}
