import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AttributesService, type AttributeView } from './attributes.service';
import { DeclareAttributeDto } from './declare-attribute.dto';

@ApiTags('attributes')
@ApiBearerAuth()
@Controller('attributes')
export class AttributesController {
  constructor(private readonly attributes: AttributesService) {}

  @Get()
  @ApiOperation({ summary: 'The attribute catalogue: custom customer columns loaded from customers files' })
  list(): Promise<AttributeView[]> {
    return this.attributes.list();
  }

  @Put(':name')
  @ApiOperation({ summary: 'Declare a custom attribute (text, number, date or boolean), or change its description' })
  async declare(@Param('name') name: string, @Body() body: DeclareAttributeDto, @Res({ passthrough: true }) response: Response): Promise<AttributeView> {
    const { attribute, created } = await this.attributes.declare(name, body);
    response.status(created ? 201 : 200);
    return attribute;
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an attribute from the catalogue (values already stored stay)' })
  remove(@Param('name') name: string): Promise<void> {
    return this.attributes.remove(name);
  }
}
