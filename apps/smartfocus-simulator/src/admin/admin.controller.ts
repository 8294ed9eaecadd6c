import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AdminService } from './admin.service';
import { AdvanceClockDto, EngagementFactorDto, FaultsDto, SeedTemplatesDto, SetClockDto } from './admin.dto';

/** Control of the simulator: clock, faults, seed data. Behind the bearer token (not @Public). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('clock')
  @ApiOperation({ summary: 'The simulated time' })
  clock(): ReturnType<AdminService['clockView']> {
    return this.admin.clockView();
  }

  @Put('clock')
  @ApiOperation({ summary: 'Set the simulated time; campaigns whose send date passed start' })
  setClock(@Body() dto: SetClockDto): ReturnType<AdminService['setClock']> {
    return this.admin.setClock(dto.now);
  }

  @Post('clock/advance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the simulated time forward' })
  advanceClock(@Body() dto: AdvanceClockDto): ReturnType<AdminService['advanceClock']> {
    return this.admin.advanceClock(dto);
  }

  @Get('faults')
  faults(): ReturnType<AdminService['faultsView']> {
    return this.admin.faultsView();
  }

  @Put('faults')
  @ApiOperation({ summary: 'Replace the faults: latency, per-operation error and drop rates or counts, session call cap' })
  replaceFaults(@Body() dto: FaultsDto): ReturnType<AdminService['replaceFaults']> {
    return this.admin.replaceFaults(dto);
  }

  @Delete('faults')
  @ApiOperation({ summary: 'Switch every fault off' })
  resetFaults(): ReturnType<AdminService['resetFaults']> {
    return this.admin.resetFaults();
  }

  @Post('faults/expire-sessions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Expire every open session now' })
  expireSessions(): ReturnType<AdminService['expireSessions']> {
    return this.admin.expireSessions();
  }

  @Post('messages/templates')
  @ApiOperation({ summary: 'Create template messages (a default optimove_ set when none are given)' })
  seedTemplates(@Body() dto: SeedTemplatesDto): ReturnType<AdminService['seedTemplates']> {
    return this.admin.seedTemplates(dto.messages);
  }

  @Put('messages/:messageId/engagement-factor')
  @ApiOperation({ summary: "Set a template message's engagement factor: opens and clicks of campaigns cloned from it, sent from now on, are multiplied by it (deterministically)" })
  setEngagementFactor(@Param('messageId') messageId: string, @Body() dto: EngagementFactorDto): ReturnType<AdminService['setEngagementFactor']> {
    return this.admin.setEngagementFactor(messageId, dto.factor);
  }

  @Post('members/csv')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiQuery({ name: 'delimiter', required: false, description: ', (default) ; | or tab' })
  @ApiOperation({ summary: 'Load members from a CSV body: header EMAIL,FIRSTNAME,LASTNAME,CUSTOMER_ID; merged on EMAIL' })
  loadMembers(@Req() request: Request, @Query('delimiter') delimiter = ','): ReturnType<AdminService['loadMembersCsv']> {
    return this.admin.loadMembersCsv(request, delimiter === 'tab' ? '\t' : delimiter);
  }

  @Get('campaigns/:campaignId/recipients')
  @ApiOperation({ summary: "The customer ids of a campaign's recipients (frozen at its send): who the e-mail reached, for demos and tests that model the customers' response" })
  recipients(@Param('campaignId') campaignId: string): ReturnType<AdminService['recipients']> {
    return this.admin.recipients(campaignId);
  }

  @Get('campaigns/:campaignId/engagement')
  @ApiOperation({ summary: "The engagement rates a campaign's send follows (its own, drawn from the seed and its id) and its template message's engagement factor: for demos that size a planted effect" })
  engagement(@Param('campaignId') campaignId: string): ReturnType<AdminService['engagement']> {
    return this.admin.engagement(campaignId);
  }

  @Get('stats')
  stats(): ReturnType<AdminService['stats']> {
    return this.admin.stats();
  }
}
