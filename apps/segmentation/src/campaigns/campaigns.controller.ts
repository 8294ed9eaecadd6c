import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CampaignBody, CampaignView } from './campaign.dto';
import { CAMPAIGN_STATUSES, type CampaignStatus } from './campaign-plan';
import { CampaignsService } from './campaigns.service';

class CampaignListQuery {
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;
}

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get()
  @ApiQuery({ name: 'status', required: false, enum: CAMPAIGN_STATUSES })
  @ApiOkResponse({ type: [CampaignView] })
  list(@Query() query: CampaignListQuery): Promise<CampaignView[]> {
    return this.campaigns.list(query.status);
  }

  @Post()
  @ApiOperation({ summary: 'Create a campaign; a plan that cannot run is refused (400) with every reason' })
  create(@Body() body: CampaignBody): Promise<CampaignView> {
    return this.campaigns.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace the plan (the salt and status stay); refused for an archived campaign' })
  @ApiOkResponse({ type: CampaignView })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: CampaignBody): Promise<CampaignView> {
    return this.campaigns.update(id, body);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: CampaignView })
  pause(@Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: CampaignView })
  resume(@Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.resume(id);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive: the campaign never runs again and cannot change' })
  @ApiOkResponse({ type: CampaignView })
  archive(@Param('id', ParseUUIDPipe) id: string): Promise<CampaignView> {
    return this.campaigns.archive(id);
  }
}
