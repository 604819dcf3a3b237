/**
 * @module Small hand-written cue lists that give the intent model knowledge its few hundred
 * examples cannot: which words belong to an online store's business, and which carry anger.
 * They are features, not rules: the model learns how much each one counts.
 */
import { stem } from '../text/stem.js';

/** Han words of an online store's business: orders, shipping, payment, returns, accounts, membership, repair. */
export const STORE_TERMS_ZH: readonly string[] = [
  '订单', '下单', '商品', '发货', '收货', '到货', '快递', '物流', '运费', '包邮', '配送', '送货', '签收', '顺丰',
  '退货', '退款', '换货', '退换', '售后', '发票', '抬头', '收据', '支付', '付款', '花呗', '支付宝', '微信支付',
  '信用卡', '银行卡', '分期', '账号', '账户', '密码', '登录', '注册', '验证码', '手机号', '邮箱', '绑定', '会员',
  '积分', '优惠券', '优惠码', '折扣', '保修', '质保', '维修', '寄修', '安装', '尺码', '库存', '现货', '补货',
  '价格', '价保', '收货地址', '自提', '门店', '包装', '耳机', '手机', '衣服', '下载',
];

/** English words of the same business, stemmed like the features. */
export const STORE_TERMS_EN: ReadonlySet<string> = stemmedSet([
  'order', 'ship', 'shipment', 'deliver', 'delivery', 'parcel', 'package', 'courier', 'track', 'refund',
  'return', 'exchange', 'invoice', 'receipt', 'vat', 'pay', 'paid', 'payment', 'paypal', 'card', 'credit',
  'checkout', 'installment', 'account', 'password', 'login', 'email', 'verification', 'member', 'membership',
  'point', 'coupon', 'promo', 'discount', 'voucher', 'warranty', 'repair', 'install', 'installation', 'size',
  'stock', 'price', 'address', 'pickup', 'item', 'product', 'purchase', 'cancel', 'express',
]);

/** Han words of anger and grievance. */
export const ANGER_TERMS_ZH: readonly string[] = [
  '差劲', '太差', '垃圾', '坑', '骗', '生气', '气死', '失望', '不满', '烂', '恶心', '离谱', '投诉', '差评',
  '无语', '过分', '受够', '愤怒', '破', '敷衍', '恶劣', '不负责', '欺诈', '举报', '曝光',
];

/** English words of anger and grievance, stemmed like the features. */
export const ANGER_TERMS_EN: ReadonlySet<string> = stemmedSet([
  'terrible', 'awful', 'horrible', 'worst', 'bad', 'angry', 'furious', 'upset', 'disappointed', 'unacceptable',
  'ridiculous', 'scam', 'scammer', 'joke', 'disgusting', 'rude', 'sucks', 'hate', 'outrageous', 'nightmare',
  'shame', 'complain', 'complaint', 'unhappy', 'frustrated', 'pissed', 'poor',
]);

function stemmedSet(words: string[]): ReadonlySet<string> {
  return new Set(words.map(stem));
}
