import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Commune, Province } from '@ioc/shared';
import type { Request, Response } from 'express';
import { Access } from '../common/access-policy.js';
import { UnitsService, type GeoAsset } from './units.service.js';

// The 2025 administrative units and their boundaries are published open data, not performance data.
@ApiTags('units')
@Access('public')
@Controller({ path: 'units', version: '1' })
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get('provinces')
  @ApiOperation({ summary: 'The 34 provinces and centrally-run cities (since 1 July 2025)' })
  provinces(): Province[] {
    return this.units.listProvinces();
  }

  @Get('provinces/:code')
  @ApiParam({ name: 'code', example: '01' })
  province(@Param('code') code: string): Province {
    return this.units.province(code);
  }

  @Get('provinces/:code/communes')
  @ApiOperation({ summary: "A province's communes, wards and special zones" })
  @ApiParam({ name: 'code', example: '01' })
  communes(@Param('code') code: string): Commune[] {
    return this.units.communesOf(code);
  }

  @Get('communes/:code')
  @ApiParam({ name: 'code', example: '00004' })
  commune(@Param('code') code: string): Commune {
    return this.units.commune(code);
  }
}

function sendGeo(asset: GeoAsset, req: Request, res: Response): void {
  res.setHeader('Content-Type', 'application/geo+json; charset=utf-8');
  res.setHeader('Cache-Control', 'public, max-age=86400');
  res.setHeader('ETag', asset.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === asset.etag) {
    res.status(304).end();
    return;
  }
  if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(asset.gzipped);
  } else {
    res.end(asset.body);
  }
}

@ApiTags('units')
@Access('public')
@Controller({ path: 'geo', version: '1' })
export class GeoController {
  constructor(private readonly units: UnitsService) {}

  @Get('provinces')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({ summary: 'Province boundaries, simplified for a national view (GeoJSON, properties: code, name)' })
  provinces(@Req() req: Request, @Res() res: Response): void {
    sendGeo(this.units.geoAsset(), req, res);
  }

  @Get('provinces/:code/communes')
  @ApiOperation({ summary: "One province's commune boundaries, simplified for a province view (GeoJSON, properties: code, name, type)" })
  @ApiParam({ name: 'code', example: '01' })
  communes(@Param('code') code: string, @Req() req: Request, @Res() res: Response): void {
    sendGeo(this.units.geoAsset(code), req, res);
  }
}
