import { describe, expect, it } from '@jest/globals';
import { type ApiFailure, ApiRequestError } from './http';
import { formatWait, signInErrorMessage, signOutErrorMessage } from './signInMessages';

// 14:05 in Hà Nội.
const NOW = Date.parse('2026-03-02T07:05:00Z');
const http = (status: number, message: string | null, retryAfterSeconds: number | null = null, reason: string | null = null) =>
  new ApiRequestError({ kind: 'http', status, message, retryAfterSeconds, reason });
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
    expect(signInErrorMessage(http(401, 'This account is deactivated; ask an administrator.', null, 'deactivated'), NOW)).toBe(
      'Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.',
    );
  });

  it('a locked account, with the server’s retry time', () => {
    const e = http(429, 'This account is locked after 5 wrong passwords; try again in 15 min, or ask an administrator to unlock it.', 900, 'locked');
    expect(signInErrorMessage(e, NOW)).toBe(
      'Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau 15 phút (đến khoảng 14:20) hoặc liên hệ quản trị viên để mở khóa.',
    );
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
