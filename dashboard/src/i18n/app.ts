/** Texts of the app's frame: navigation, skip link, page titles. */
export const app = {
  vi: {
    skip: 'Bỏ qua, tới nội dung chính',
    product: 'Trung tâm điều hành thông minh',
    subject: 'Chỉ số phục vụ hành chính công',
    navigation: 'Các trang',
    sections: { overview: 'Tổng quan', operations: 'Vận hành', commune: 'Xã, phường của tôi', wall: 'Màn hình lớn', notifications: 'Thông báo', reports: 'Báo cáo', sectors: 'Lĩnh vực' },
    nation: 'Cả nước',
  },
  en: {
    skip: 'Skip to main content',
    product: 'Intelligent Operations Centre',
    subject: 'Public administrative service index',
    navigation: 'Pages',
    sections: { overview: 'Overview', operations: 'Operations', commune: 'My commune', wall: 'Wall display', notifications: 'Notifications', reports: 'Reports', sectors: 'Sectors' },
    nation: 'Nationwide',
  },
} as const;
