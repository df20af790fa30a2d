import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_ERROR_CODES, API_ERROR_STATUS, apiErrorCodeOf } from '@ioc/shared';
import { setLanguage } from '../i18n';
import { type ApiFailure, ApiRequestError, describeError } from './http';
import { formatWait, signInErrorMessage, signOutErrorMessage } from './signInMessages';

// 14:05 in Hà Nội.
const NOW = Date.parse('2026-03-02T07:05:00Z');
const http = (status: number, message: string | null, retryAfterSeconds: number | null = null, reason: string | null = null) =>
  new ApiRequestError({ kind: 'http', status, code: apiErrorCodeOf(status), message, retryAfterSeconds, reason });
const failure = (f: ApiFailure) => new ApiRequestError(f);

describe('how long to wait before signing in again', () => {
  it.each([
    [0.2, '1 giây'],
    [42, '42 giây'],
    [60, '1 phút (đến khoảng 14:06)'],
    [899.5, '15 phút (đến khoảng 14:20)'],
  ])('%p s → %s', (seconds, text) => {
    expect(formatWait(seconds, NOW)).toBe(text);
  });
});

describe('what the sign-in form says', () => {
  it('a wrong username or password', () => {
    expect(signInErrorMessage(http(401, 'Wrong username or password.'), NOW)).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    expect(signInErrorMessage(http(401, null), NOW)).toBe('Sai tên đăng nhập hoặc mật khẩu.');
  });

  it('a deactivated account', () => {
    expect(signInErrorMessage(http(401, 'This account is deactivated; ask an administrator.', null, 'deactivated'), NOW)).toBe('Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.');
  });

  it('a locked account, with the server’s retry time', () => {
    const e = http(429, 'This account is locked after 5 wrong passwords; try again in 15 min, or ask an administrator to unlock it.', 900, 'locked');
    expect(signInErrorMessage(e, NOW)).toBe('Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 15 phút (đến khoảng 14:20) hoặc liên hệ quản trị viên để mở khóa.');
  });

  it('too many attempts from one address', () => {
    const e = http(429, 'Too many sign-in attempts from this address; try again in 42 s.', 42, 'rate_limited');
    expect(signInErrorMessage(e, NOW)).toBe('Địa chỉ mạng này tạm thời bị chặn do thử đăng nhập quá nhiều lần. Vui lòng thử lại sau 42 giây.');
  });

  it('a 429 without words or time it knows', () => {
    expect(signInErrorMessage(http(429, null), NOW)).toBe('Tạm thời không đăng nhập được do thử quá nhiều lần. Vui lòng thử lại sau ít phút.');
  });

  it('the server out of reach, slow or failing', () => {
    expect(signInErrorMessage(failure({ kind: 'network' }), NOW)).toBe('Không kết nối được tới máy chủ. Vui lòng kiểm tra kết nối mạng rồi thử lại.');
    expect(signInErrorMessage(failure({ kind: 'timeout', seconds: 10 }), NOW)).toBe('Máy chủ không trả lời sau 10 giây. Vui lòng thử lại.');
    expect(signInErrorMessage(http(503, null), NOW)).toBe('Máy chủ gặp lỗi (mã 503). Vui lòng thử lại sau.');
    expect(signInErrorMessage(new Error('boom'), NOW)).toBe('Không đăng nhập được do lỗi không xác định. Vui lòng thử lại.');
  });

  it('signing out that did not reach the server', () => {
    expect(signOutErrorMessage(failure({ kind: 'network' }))).toBe('Chưa đăng xuất được: máy chủ không phản hồi. Vui lòng thử lại.');
    expect(signOutErrorMessage(http(500, null))).toBe('Chưa đăng xuất được do lỗi máy chủ. Vui lòng thử lại.');
  });
});

describe('what a page says when a request is refused', () => {
  it('403 is a missing right, 401 an ended sign-in', () => {
    expect(http(403, 'lanhdao.hanoi (leader, Thành phố Hà Nội) may not read the figures of …').message).toBe('không có quyền truy cập số liệu này');
    expect(http(401, null).message).toBe('phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại');
  });
});

describe('what a page says when a request fails, in every case', () => {
  it.each([
    [{ kind: 'network' }, 'máy chủ không phản hồi'],
    [{ kind: 'timeout', seconds: 10 }, 'máy chủ không trả lời sau 10 giây'],
    [{ kind: 'http', status: 404, code: 'NOT_FOUND', message: null, retryAfterSeconds: null }, 'không tìm thấy địa chỉ dữ liệu trên máy chủ'],
    [{ kind: 'http', status: 400, code: 'BAD_REQUEST', message: null, retryAfterSeconds: null }, 'yêu cầu không hợp lệ'],
    [{ kind: 'http', status: 429, code: 'TOO_MANY_REQUESTS', message: null, retryAfterSeconds: 5 }, 'máy chủ đang nhận quá nhiều yêu cầu, vui lòng thử lại sau'],
    [{ kind: 'http', status: 503, code: 'UNAVAILABLE', message: null, retryAfterSeconds: null }, 'máy chủ tạm thời không sẵn sàng'],
    [{ kind: 'http', status: 500, code: 'INTERNAL', message: null, retryAfterSeconds: null }, 'máy chủ gặp lỗi (mã 500)'],
    [{ kind: 'http', status: 409, code: 'CONFLICT', message: null, retryAfterSeconds: null }, 'máy chủ từ chối yêu cầu (mã 409)'],
    [{ kind: 'format' }, 'dữ liệu nhận được không đúng định dạng'],
  ] as [ApiFailure, string][])('%j → “%s”', (f, text) => {
    expect(describeError(failure(f))).toBe(text);
  });

  it('every error code of the contract has words of its own (a proxy answer without a code goes by its status)', () => {
    for (const code of API_ERROR_CODES) {
      const text = describeError(failure({ kind: 'http', status: API_ERROR_STATUS[code], code, message: null, retryAfterSeconds: null }));
      expect({ code, text }).toEqual({ code, text: expect.stringMatching(/\p{L}{3}/u) });
    }
    expect(describeError(failure({ kind: 'http', status: 502, code: apiErrorCodeOf(502), message: null, retryAfterSeconds: null }))).toBe('máy chủ gặp lỗi (mã 502)');
  });

  it('anything else is an unknown error', () => {
    expect(describeError(new Error('boom'))).toBe('đã xảy ra lỗi không xác định');
  });
});

describe('in English', () => {
  beforeAll(() => setLanguage('en'));
  afterAll(() => setLanguage('vi'));

  it('how long to wait, with the plural of the count', () => {
    expect(formatWait(1, NOW)).toBe('1 second');
    expect(formatWait(42, NOW)).toBe('42 seconds');
    expect(formatWait(60, NOW)).toBe('1 minute (until about 14:06)');
    expect(formatWait(899.5, NOW)).toBe('15 minutes (until about 14:20)');
  });

  it('what the sign-in form says', () => {
    expect(signInErrorMessage(http(401, null), NOW)).toBe('Wrong username or password.');
    expect(signInErrorMessage(http(401, null, null, 'deactivated'), NOW)).toBe('This account has been deactivated. Please contact an administrator.');
    expect(signInErrorMessage(http(429, null, 900, 'locked'), NOW)).toBe(
      'This account is temporarily locked after too many wrong passwords. Please try again in 15 minutes (until about 14:20) or ask an administrator to unlock it.',
    );
    expect(signInErrorMessage(http(429, null, 42, 'rate_limited'), NOW)).toBe('This network address is temporarily blocked after too many sign-in attempts. Please try again in 42 seconds.');
    expect(signInErrorMessage(http(429, null), NOW)).toBe('Signing in is temporarily blocked after too many attempts. Please try again in a few minutes.');
    expect(signInErrorMessage(http(400, null), NOW)).toBe('Please enter your username and password.');
    expect(signInErrorMessage(http(503, null), NOW)).toBe('The server ran into an error (code 503). Please try again later.');
    expect(signInErrorMessage(http(418, null), NOW)).toBe('The server refused the sign-in (code 418).');
    expect(signInErrorMessage(failure({ kind: 'network' }), NOW)).toBe('Cannot reach the server. Please check your network connection and try again.');
    expect(signInErrorMessage(failure({ kind: 'timeout', seconds: 10 }), NOW)).toBe('The server did not answer within 10 seconds. Please try again.');
    expect(signInErrorMessage(failure({ kind: 'format' }), NOW)).toBe('The server answered in an unexpected format. Please try again later.');
    expect(signInErrorMessage(new Error('boom'), NOW)).toBe('Could not sign in because of an unknown error. Please try again.');
  });

  it('signing out that did not reach the server', () => {
    expect(signOutErrorMessage(failure({ kind: 'timeout', seconds: 10 }))).toBe('Not signed out yet: the server is not responding. Please try again.');
    expect(signOutErrorMessage(http(500, null))).toBe('Not signed out yet because of a server error. Please try again.');
  });

  it('what a page says when a request fails', () => {
    expect(describeError(http(403, 'lanhdao.hanoi (leader, Thành phố Hà Nội) may not read the figures of …'))).toBe('you do not have access to these figures');
    expect(describeError(http(401, null))).toBe('your session has expired, please sign in again');
    expect(describeError(failure({ kind: 'timeout', seconds: 10 }))).toBe('the server did not answer within 10 seconds');
    expect(describeError(http(502, null))).toBe('the server ran into an error (code 502)');
    expect(describeError(new Error('boom'))).toBe('an unknown error occurred');
  });

  it('an error kept from before the switch is said in the language of now', () => {
    const e = http(403, null);
    setLanguage('vi');
    expect(e.message).toBe('không có quyền truy cập số liệu này');
    setLanguage('en');
    expect(e.message).toBe('you do not have access to these figures');
  });
});
