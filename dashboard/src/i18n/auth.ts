/** Texts of signing in and out: the sign-in page, the session check, the account menu. */
export const auth = {
  vi: {
    brand: {
      product: 'Trung tâm điều hành thông minh',
      subject: 'Chỉ số phục vụ hành chính công',
    },
    signIn: {
      heading: 'Đăng nhập',
      username: 'Tên đăng nhập',
      password: 'Mật khẩu',
      submit: 'Đăng nhập',
      submitting: 'Đang đăng nhập…',
      enterUsername: 'Vui lòng nhập tên đăng nhập.',
      enterPassword: 'Vui lòng nhập mật khẩu.',
    },
    demo: {
      heading: 'Tài khoản trình diễn',
      note: 'Chọn một tài khoản để đăng nhập ngay với vai trò và phạm vi tương ứng.',
      signInAs: 'Đăng nhập bằng tài khoản {{username}}',
    },
    session: {
      checking: 'Đang kiểm tra phiên đăng nhập…',
    },
    notice: {
      expired: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
      unreachable: 'Không kiểm tra được phiên đăng nhập vì máy chủ không phản hồi. Vui lòng đăng nhập lại.',
    },
    account: {
      signedInAs: 'Đang đăng nhập: ',
      signOut: 'Đăng xuất',
      signingOut: 'Đang đăng xuất…',
    },
    wait: {
      seconds_other: '{{count}} giây',
      minutes_other: '{{count}} phút (đến khoảng {{until}})',
      aFewMinutes: 'ít phút',
    },
    signInError: {
      unknown: 'Không đăng nhập được do lỗi không xác định. Vui lòng thử lại.',
      network: 'Không kết nối được tới máy chủ. Vui lòng kiểm tra kết nối mạng rồi thử lại.',
      timeout: 'Máy chủ không trả lời sau {{seconds}} giây. Vui lòng thử lại.',
      format: 'Máy chủ trả lời không đúng định dạng. Vui lòng thử lại sau.',
      deactivated: 'Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.',
      wrongCredentials: 'Sai tên đăng nhập hoặc mật khẩu.',
      locked: 'Tài khoản tạm thời bị khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {{wait}} hoặc liên hệ quản trị viên để mở khóa.',
      rateLimited: 'Địa chỉ mạng này tạm thời bị chặn do thử đăng nhập quá nhiều lần. Vui lòng thử lại sau {{wait}}.',
      tooManyAttempts: 'Tạm thời không đăng nhập được do thử quá nhiều lần. Vui lòng thử lại sau {{wait}}.',
      missingFields: 'Vui lòng nhập tên đăng nhập và mật khẩu.',
      serverError: 'Máy chủ gặp lỗi (mã {{status}}). Vui lòng thử lại sau.',
      refused: 'Máy chủ từ chối đăng nhập (mã {{status}}).',
    },
    signOutError: {
      unreachable: 'Chưa đăng xuất được: máy chủ không phản hồi. Vui lòng thử lại.',
      failed: 'Chưa đăng xuất được do lỗi máy chủ. Vui lòng thử lại.',
    },
  },
  en: {
    brand: {
      product: 'Intelligent Operations Centre',
      subject: 'Public administrative service index',
    },
    signIn: {
      heading: 'Sign in',
      username: 'Username',
      password: 'Password',
      submit: 'Sign in',
      submitting: 'Signing in…',
      enterUsername: 'Please enter your username.',
      enterPassword: 'Please enter your password.',
    },
    demo: {
      heading: 'Demo accounts',
      note: 'Choose an account to sign in at once with its role and scope.',
      signInAs: 'Sign in as {{username}}',
    },
    session: {
      checking: 'Checking your session…',
    },
    notice: {
      expired: 'Your session has expired. Please sign in again.',
      unreachable: 'Your session could not be checked because the server is not responding. Please sign in again.',
    },
    account: {
      signedInAs: 'Signed in as: ',
      signOut: 'Sign out',
      signingOut: 'Signing out…',
    },
    wait: {
      seconds_one: '{{count}} second',
      seconds_other: '{{count}} seconds',
      minutes_one: '{{count}} minute (until about {{until}})',
      minutes_other: '{{count}} minutes (until about {{until}})',
      aFewMinutes: 'a few minutes',
    },
    signInError: {
      unknown: 'Could not sign in because of an unknown error. Please try again.',
      network: 'Cannot reach the server. Please check your network connection and try again.',
      timeout: 'The server did not answer within {{seconds}} seconds. Please try again.',
      format: 'The server answered in an unexpected format. Please try again later.',
      deactivated: 'This account has been deactivated. Please contact an administrator.',
      wrongCredentials: 'Wrong username or password.',
      locked: 'This account is temporarily locked after too many wrong passwords. Please try again in {{wait}} or ask an administrator to unlock it.',
      rateLimited: 'This network address is temporarily blocked after too many sign-in attempts. Please try again in {{wait}}.',
      tooManyAttempts: 'Signing in is temporarily blocked after too many attempts. Please try again in {{wait}}.',
      missingFields: 'Please enter your username and password.',
      serverError: 'The server ran into an error (code {{status}}). Please try again later.',
      refused: 'The server refused the sign-in (code {{status}}).',
    },
    signOutError: {
      unreachable: 'Not signed out yet: the server is not responding. Please try again.',
      failed: 'Not signed out yet because of a server error. Please try again.',
    },
  },
} as const;
