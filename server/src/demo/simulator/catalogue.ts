import type { SimUnit } from './types.js';

// ---------------------------------------------------------------------------
// Procedures. Codes follow the national format (1.xxxxxx / 2.xxxxxx) and are
// illustrative; due is in working days (0 = same day, 15:00 cut-off).

export interface Procedure {
  code: string;
  due: number;
  fullOnline: boolean;
  result: boolean;
  fee: boolean;
  weight: number;
}
export interface Sector {
  name: string;
  /** Base share by unit type: xã, phường, đặc khu. */
  share: [number, number, number];
  /** Multiplier on the unit's supplement-request rate. */
  supplement: number;
  procedures: Procedure[];
}

const p = (code: string, due: number, fullOnline: boolean, result: boolean, fee: boolean, weight: number): Procedure => ({
  code,
  due,
  fullOnline,
  result,
  fee,
  weight,
});

export const SECTORS: Sector[] = [
  {
    name: 'Chứng thực',
    share: [0.2, 0.28, 0.22],
    supplement: 0,
    procedures: [
      p('2.000815', 0, true, true, true, 0.3), // bản sao điện tử từ bản chính
      p('2.000908', 0, false, true, true, 0.28), // bản sao giấy từ bản chính
      p('2.000884', 0, false, true, true, 0.25), // chữ ký
      p('2.001035', 2, false, true, true, 0.12), // hợp đồng, giao dịch
      p('2.000913', 2, false, true, true, 0.05), // sửa đổi hợp đồng
    ],
  },
  {
    name: 'Hộ tịch',
    share: [0.27, 0.26, 0.27],
    supplement: 0.6,
    procedures: [
      p('1.001193', 0, true, true, false, 0.33), // khai sinh
      p('1.000656', 0, true, true, false, 0.1), // khai tử
      p('1.000894', 0, false, true, false, 0.14), // kết hôn
      p('1.004873', 3, true, true, false, 0.17), // xác nhận tình trạng hôn nhân (fee waived)
      p('1.004859', 0, false, true, true, 0.14), // bản sao trích lục
      p('1.004837', 3, false, true, true, 0.08), // thay đổi, cải chính
      p('1.000689', 3, false, true, true, 0.04), // nhận cha, mẹ, con
    ],
  },
  {
    name: 'Đất đai',
    share: [0.12, 0.07, 0.1],
    supplement: 2.2,
    procedures: [
      p('1.012766', 10, false, true, true, 0.4), // đăng ký biến động
      p('1.012770', 15, false, true, true, 0.2), // cấp giấy chứng nhận lần đầu
      p('1.012790', 7, true, true, false, 0.1), // đính chính
      p('1.012800', 7, true, true, true, 0.15), // cấp đổi
      p('1.012812', 5, false, true, false, 0.15), // xác nhận tiếp tục sử dụng đất
    ],
  },
  {
    name: 'Lao động – Thương binh và Xã hội',
    share: [0.11, 0.07, 0.08],
    supplement: 1.2,
    procedures: [
      p('1.001776', 10, true, true, false, 0.35), // trợ cấp xã hội hằng tháng
      p('1.001758', 3, true, true, false, 0.25), // hỗ trợ mai táng
      p('1.000489', 5, false, true, false, 0.2), // hộ nghèo, cận nghèo
      p('1.010805', 12, false, true, false, 0.2), // người có công
    ],
  },
  {
    name: 'Kinh doanh',
    share: [0.04, 0.09, 0.08],
    supplement: 1,
    procedures: [
      p('2.000720', 3, true, true, true, 0.5), // thành lập hộ kinh doanh
      p('2.000575', 3, true, true, false, 0.3), // thay đổi nội dung (fee waived)
      p('2.000581', 3, false, false, false, 0.2), // tạm ngừng
    ],
  },
  {
    name: 'Xây dựng',
    share: [0.03, 0.05, 0.05],
    supplement: 2,
    procedures: [
      p('1.009994', 15, false, true, true, 0.7), // giấy phép xây dựng nhà ở riêng lẻ
      p('1.010003', 5, true, true, true, 0.3), // điều chỉnh, gia hạn
    ],
  },
  {
    name: 'Tư pháp',
    share: [0.04, 0.04, 0.03],
    supplement: 0.8,
    procedures: [
      p('2.000930', 5, true, true, false, 0.4), // công nhận hòa giải viên
      p('2.000950', 5, false, false, false, 0.3), // thù lao hòa giải viên
      p('2.001457', 5, true, true, false, 0.3), // tuyên truyền viên pháp luật
    ],
  },
  {
    name: 'Nông nghiệp và Môi trường',
    share: [0.1, 0.04, 0.08],
    supplement: 1,
    procedures: [
      p('1.003605', 10, false, true, false, 0.5), // hỗ trợ khôi phục sản xuất
      p('1.008003', 5, true, true, false, 0.5), // xác nhận nguồn gốc
    ],
  },
  {
    name: 'Giáo dục và Đào tạo',
    share: [0.05, 0.05, 0.05],
    supplement: 0.6,
    procedures: [
      p('1.004441', 3, true, true, false, 0.6), // chuyển trường
      p('1.004492', 10, false, true, false, 0.4), // nhóm trẻ độc lập
    ],
  },
];
/** Number of sectors. */
export const S = SECTORS.length;
export const TYPE_INDEX: Record<SimUnit['type'], 0 | 1 | 2> = { xã: 0, phường: 1, 'đặc khu': 2 };

export interface CatalogueEntry extends Procedure {
  sector: number;
}
/** All procedures, flattened; weights stay relative to their sector. */
export const PROCS: CatalogueEntry[] = SECTORS.flatMap((sec, s) => sec.procedures.map((x) => ({ ...x, sector: s })));
/** Number of procedures. */
export const P = PROCS.length;
/** Appointment lengths (working days) in the catalogue, and the procedures of each. */
export const DUES = [...new Set(PROCS.map((x) => x.due))].sort((a, b) => a - b);
export const CLASS_PROCS: number[][] = DUES.map((due) => PROCS.flatMap((x, i) => (x.due === due ? [i] : [])));
export const CLASS_OFFSET: number[] = DUES.map((_, c) => CLASS_PROCS.slice(0, c).reduce((a, m) => a + m.length, 0));
