import { describe, expect, it } from '@jest/globals';
import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { isCausedByData, isDatabaseUnavailable } from './db-errors.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['an administrator shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server starting up', withCode('57P03', 'the database system is starting up')],
    ['a connection exception class', withCode('08006')],
    ['too many clients', withCode('53300')],
    ['a connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['a transaction whose connection the server ended', new QueryRunnerProviderAlreadyReleasedError()],
    ['a driver error wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: withCode('57P01') })],
    ['a wrapped cause', new Error('the append failed', { cause: withCode('ECONNRESET') })],
    ['an aggregate of refused addresses', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')],
  ])('is true for %s', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error (a bug)', withCode('42601')],
    ['a plain error', new Error('something else')],
    ['an aggregate of bugs', new AggregateError([new TypeError('x')], 'two bugs')],
    ['not an error', 'ECONNREFUSED'],
    ['null', null],
  ])('is false for %s', (_, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });

  it('stops following causes after a few levels', () => {
    let e: Error = withCode('ECONNREFUSED');
    for (let i = 0; i < 10; i++) e = new Error(`level ${i}`, { cause: e });
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});

describe('isCausedByData', () => {
  it('is true for data exceptions and integrity violations, false for outages', () => {
    expect(isCausedByData(withCode('22003'))).toBe(true);
    expect(isCausedByData(withCode('23505'))).toBe(true);
    expect(isCausedByData(withCode('57P01'))).toBe(false);
  });
});
