import { useEffect, useState } from 'react';
import type { AlertEvaluationStatus } from '@ioc/shared';
import { type QueryState, useApiQuery } from '../../lib/useApiQuery';
import { fetchAlertEvaluation } from './api';

/** Asked often until the first evaluation has run, then now and then. */
const UNTIL_EVALUATED_MS = 10_000;
const REFRESH_MS = 60_000;

/**
 * When the rules were last evaluated. Before the first evaluation after a start, an empty
 * list of open alerts means "not yet evaluated", not "every unit within its thresholds".
 * `nudge`: a value that changes when the alerts do (the live list): until the first evaluation, each change asks again.
 */
export function useAlertEvaluation(nudge?: unknown): QueryState<AlertEvaluationStatus> {
  const [evaluated, setEvaluated] = useState(false);
  const state = useApiQuery(['alerts', 'evaluation'], fetchAlertEvaluation, { refetchMs: evaluated ? REFRESH_MS : UNTIL_EVALUATED_MS });
  const { data, refresh } = state;
  useEffect(() => {
    if (data?.evaluatedAt) setEvaluated(true);
  }, [data]);
  useEffect(() => {
    if (!evaluated && nudge !== undefined && nudge !== null) refresh();
  }, [evaluated, nudge, refresh]);
  return state;
}
