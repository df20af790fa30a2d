import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { API_CONTRACT, type KpiResponse, type RankingResponse, type SeriesResponse, queryNames } from '@ioc/shared';
import { UnitsService } from '../units/units.service.js';
import { Access } from '../common/access-policy.js';
import { CurrentUser } from '../auth/access.decorator.js';
import { AccessService } from '../auth/access.service.js';
import type { AuthedPrincipal } from '../auth/auth.types.js';
import { singleQuery } from '../common/query.js';
import { KpiService } from './kpi.service.js';

/** An excerpt of a kpi-v2 answer, for the OpenAPI document. */
const KPI_V2_EXAMPLE = {
  scope: 'province:01',
  from: '2026-05-01',
  to: '2026-05-31',
  asOf: '2026-05-31T17:00:00.000Z',
  kpiVersion: 'kpi-v2',
  kpis: { onTime: { numerator: 9712, denominator: 10020, value: 96.93 } },
  indexV2: {
    version: 'kpi-v2',
    earned: 71.42,
    available: 82,
    pointsLost: 10.58,
    maxPoints: 100,
    missing: ['1.2', '1.3', '4.5a'],
    groups: [
      {
        id: 'transparency',
        nameVi: 'Công khai, minh bạch',
        nameEn: 'Transparency',
        pmax: 18,
        earned: 10.62,
        available: 12,
        pointsLost: 1.38,
        missing: ['1.2', '1.3'],
        subIndicators: [
          {
            id: '1.4',
            nameVi: 'Hồ sơ đồng bộ lên Cổng DVCQG',
            nameEn: 'Dossiers synced to the National Public Service Portal',
            source: 'events',
            scored: true,
            pmax: 6,
            unit: 'percent',
            rate: 95.4,
            numerator: 9306,
            denominator: 9755,
            parts: [{ numerator: 9306, denominator: 9755 }],
            coverage: { attributes: ['synced'], known: 9755, total: 10020, value: 97.36 },
            points: 5.72,
            pointsLost: 0.28,
            reported: null,
          },
          {
            id: '1.1',
            nameVi: 'TTHC công bố đúng hạn',
            nameEn: 'Procedures announced on time',
            source: 'reported',
            scored: true,
            pmax: 6,
            unit: 'percent',
            rate: 93.33,
            numerator: 42,
            denominator: 45,
            parts: [{ numerator: 42, denominator: 45 }],
            coverage: null,
            points: 5.6,
            pointsLost: 0.4,
            reported: [{ unitCode: '01', month: '2026-05', numerator: 42, denominator: 45, reportedBy: 'Danh mục TTHC Hà Nội', reportedAt: '2026-06-02T02:15:00.000Z' }],
          },
        ],
      },
    ],
  },
};

@ApiTags('kpis')
@ApiBearerAuth()
@Access('signed-in')
@Controller({ version: '1' })
export class KpiController {
  constructor(
    private readonly kpi: KpiService,
    private readonly access: AccessService,
    private readonly units: UnitsService,
  ) {}

  @Get('kpis')
  @ApiOperation({
    summary: 'KPIs of a scope for a period, with the national index (kpi-v2): rates are ratios of summed counts; null when the denominator is 0',
    description:
      'Keeps every v1 field (`kpis`, `counts`, `index`) and adds `indexV2`: the six groups of the national index, each with its ' +
      'sub-indicators (rate, numerator, denominator, coverage of optional attributes, points, Pmax, points lost, source; for reported ' +
      'ones, who reported each value and when), and the totals `earned` of `available`. A sub-indicator without data is neither earned ' +
      'nor lost (listed in `missing`); the index is never rescaled to 100. 2.2 (mean processing days) and 3.3 are shown, not scored.',
  })
  @ApiResponse({ status: 200, description: 'Figures of the scope and period', schema: { example: KPI_V2_EXAMPLE } })
  kpis(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<KpiResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.kpis.kpis.query));
    this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    return this.kpi.kpis(q);
  }

  @Get('kpis/series')
  @ApiOperation({
    summary: 'KPIs per hour, day or month (each point measured at the end of its bucket)',
    description:
      'Each point carries the v1 fields (`kpis`, `counts`, `index`) and `indexV2`, the national index (kpi-v2) in brief: `earned` of ' +
      '`available` points, `pointsLost` and the scored sub-indicators without data (`missing`), from the same rollups, with the ' +
      "reported values of the point's month; `null` when no sub-indicator has data (no index, never 0).",
  })
  series(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<SeriesResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.kpis.series.query));
    this.access.assertScope(p, 'figures', q.scope ?? 'nation');
    return this.kpi.series(q);
  }

  @Get('rankings')
  @ApiOperation({
    summary: 'The units of a scope ranked by a KPI or by index score, each with points lost per KPI',
    description:
      'Ranks are over all units of the scope. A unit whose figures the caller may not read comes as a comparison row ' +
      '(counts null: rank, points and KPI rates with its volume only); 403 when the caller may not compare the units ranked.',
  })
  async rankings(@CurrentUser() p: AuthedPrincipal, @Query() raw: Record<string, unknown>): Promise<RankingResponse> {
    const q = singleQuery(raw, queryNames(API_CONTRACT.kpis.rankings.query));
    // Access first, before the other parameters are checked and before anything is computed:
    // a ranking is compared whole or not at all, so every unit it would list must be comparable.
    const { scope, level } = this.kpi.rankingTarget(q);
    for (const unit of this.kpi.rankedUnits(scope, level)) this.access.assert(p, 'compare', unit);
    const ranking = await this.kpi.rankings(q);
    // Each row then shows what the caller may read of its unit.
    const entries = ranking.entries.map((e) => (this.access.can(p, 'figures', this.units.unitRef(e.unitCode)) ? e : { ...e, counts: null }));
    return { ...ranking, entries };
  }
}
