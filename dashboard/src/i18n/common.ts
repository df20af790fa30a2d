/**
 * Texts shared by every feature: words inside number and date formats, why a
 * request failed, the live stream's state, report periods, the language switch.
 * Plural forms follow i18next (`_one`/`_other`; Vietnamese has only `_other`).
 */
export const common = {
  vi: {
    format: {
      dossiers_other: '{{n}} hồ sơ',
      instant: '{{time}} ngày {{date}}',
    },
    failure: {
      network: 'máy chủ không phản hồi',
      timeout: 'máy chủ không trả lời sau {{seconds}} giây',
      expired: 'phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại',
      forbidden: 'không có quyền truy cập số liệu này',
      notFound: 'không tìm thấy địa chỉ dữ liệu trên máy chủ',
      badRequest: 'yêu cầu không hợp lệ',
      tooManyRequests: 'máy chủ đang nhận quá nhiều yêu cầu, vui lòng thử lại sau',
      unavailable: 'máy chủ tạm thời không sẵn sàng',
      serverError: 'máy chủ gặp lỗi (mã {{status}})',
      refused: 'máy chủ từ chối yêu cầu (mã {{status}})',
      format: 'dữ liệu nhận được không đúng định dạng',
      unknown: 'đã xảy ra lỗi không xác định',
    },
    live: {
      live: 'Trực tiếp',
      connecting: 'Đang kết nối…',
      reconnecting: 'Đang kết nối lại…',
      syncing: 'Đang đồng bộ…',
      stale: 'Dữ liệu cũ từ {{time}}',
      staleReconnecting: 'Dữ liệu cũ từ {{time}}, đang kết nối lại…',
    },
    period: {
      today: 'Hôm nay',
      todayUntil: 'Hôm nay, đến {{time}}',
      last7: '7 ngày',
      last30: '30 ngày',
      thisMonth: 'Tháng này',
      thisQuarter: 'Quý này',
      thisYear: 'Năm nay',
      custom: 'Tùy chọn',
    },
    language: {
      label: 'Ngôn ngữ',
    },
  },
  en: {
    format: {
      dossiers_one: '{{n}} dossier',
      dossiers_other: '{{n}} dossiers',
      instant: '{{time}} on {{date}}',
    },
    failure: {
      network: 'the server is not responding',
      timeout: 'the server did not answer within {{seconds}} seconds',
      expired: 'your session has expired, please sign in again',
      forbidden: 'you do not have access to these figures',
      notFound: 'the data address was not found on the server',
      badRequest: 'the request is not valid',
      tooManyRequests: 'the server is receiving too many requests, please try again later',
      unavailable: 'the server is temporarily unavailable',
      serverError: 'the server ran into an error (code {{status}})',
      refused: 'the server refused the request (code {{status}})',
      format: 'the data received is not in the expected format',
      unknown: 'an unknown error occurred',
    },
    live: {
      live: 'Live',
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      syncing: 'Syncing…',
      stale: 'Figures not updated since {{time}}',
      staleReconnecting: 'Figures not updated since {{time}}, reconnecting…',
    },
    period: {
      today: 'Today',
      todayUntil: 'Today, up to {{time}}',
      last7: '7 days',
      last30: '30 days',
      thisMonth: 'This month',
      thisQuarter: 'This quarter',
      thisYear: 'This year',
      custom: 'Custom',
    },
    language: {
      label: 'Language',
    },
  },
} as const;
