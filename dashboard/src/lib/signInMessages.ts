import type { SignInRefusal } from '@ioc/shared';
import { formatHourMinute } from './format';
import { ApiRequestError } from './http';

/** `42` → `"42 giây"`, `900` → `"15 phút (đến khoảng 14:20)"`: how long to wait, and until when once it is minutes. */
export function formatWait(seconds: number, now: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} giây`;
  return `${Math.ceil(s / 60)} phút (đến khoảng ${formatHourMinute(now + s * 1000)})`;
}

/**
 * What the sign-in form says when the server refuses or cannot be reached: the kind
 * of refusal comes from the error's `details.reason` (SignInRefusal in shared).
 */
export function signInErrorMessage(e: unknown, now: number): string {
  if (!(e instanceof ApiRequestError)) return 'Không đăng nhập được do lỗi không xác định. Vui lòng thử lại.';
  const f = e.failure;
  switch (f.kind) {
    case 'network':
      return 'Không kết nối được tới máy chủ. Vui lòng kiểm tra kết nối mạng rồi thử lại.';
    case 'timeout':
      return `Máy chủ không trả lời sau ${f.seconds} giây. Vui lòng thử lại.`;
    case 'format':
      return 'Máy chủ trả lời không đúng định dạng. Vui lòng thử lại sau.';
    case 'http': {
      const reason = f.reason as SignInRefusal | null | undefined;
      if (f.status === 401) {
        if (reason === 'deactivated') return 'Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.';
        return 'Sai tên đăng nhập hoặc mật khẩu.';
      }
      if (f.status === 429) {
        const wait = f.retryAfterSeconds === null ? 'ít phút' : formatWait(f.retryAfterSeconds, now);
        if (reason === 'locked') {
          return `Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ${wait} hoặc liên hệ quản trị viên để mở khóa.`;
        }
        if (reason === 'rate_limited') return `Địa chỉ mạng này tạm thời bị chặn do thử đăng nhập quá nhiều lần. Vui lòng thử lại sau ${wait}.`;
        return `Tạm thời không đăng nhập được do thử quá nhiều lần. Vui lòng thử lại sau ${wait}.`;
      }
      if (f.status === 400) return 'Vui lòng nhập tên đăng nhập và mật khẩu.';
      if (f.status >= 500) return `Máy chủ gặp lỗi (mã ${f.status}). Vui lòng thử lại sau.`;
      return `Máy chủ từ chối đăng nhập (mã ${f.status}).`;
    }
  }
}

/** What the header says when signing out fails (the sign-in then still holds). */
export function signOutErrorMessage(e: unknown): string {
  const kind = e instanceof ApiRequestError ? e.failure.kind : null;
  return kind === 'network' || kind === 'timeout'
    ? 'Chưa đăng xuất được: máy chủ không phản hồi. Vui lòng thử lại.'
    : 'Chưa đăng xuất được do lỗi máy chủ. Vui lòng thử lại.';
}
