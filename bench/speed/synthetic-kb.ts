/**
 * @module A generated FAQ knowledge base of any size (zh + en), deterministic and unrelated to
 * any dataset: products × made-up brands (with a model code) × topics, each entry with three
 * Chinese and two English paraphrases, written as the product's YAML FAQ files, one per topic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { pickOne, seededRandom } from '../lib/random.js';

const PRODUCTS: ReadonlyArray<readonly [string, string]> = [
  ['手机', 'phone'], ['耳机', 'headphones'], ['笔记本电脑', 'laptop'], ['平板', 'tablet'], ['智能手表', 'smartwatch'],
  ['冰箱', 'fridge'], ['洗衣机', 'washing machine'], ['空调', 'air conditioner'], ['电饭煲', 'rice cooker'], ['吸尘器', 'vacuum cleaner'],
  ['吹风机', 'hair dryer'], ['电动牙刷', 'electric toothbrush'], ['显示器', 'monitor'], ['键盘', 'keyboard'], ['鼠标', 'mouse'],
  ['路由器', 'router'], ['音箱', 'speaker'], ['相机', 'camera'], ['投影仪', 'projector'], ['空气净化器', 'air purifier'],
  ['床垫', 'mattress'], ['沙发', 'sofa'], ['书桌', 'desk'], ['台灯', 'desk lamp'], ['电热水壶', 'kettle'],
  ['羽绒服', 'down jacket'], ['运动鞋', 'running shoes'], ['双肩包', 'backpack'], ['行李箱', 'suitcase'], ['太阳镜', 'sunglasses'],
  ['咖啡机', 'coffee machine'], ['微波炉', 'microwave'], ['烤箱', 'oven'], ['榨汁机', 'juicer'], ['扫地机器人', 'robot vacuum'],
  ['游戏手柄', 'game controller'], ['充电宝', 'power bank'], ['数据线', 'charging cable'], ['体脂秤', 'smart scale'], ['加湿器', 'humidifier'],
];
// Made-up brand names; with a model code they make every entry's product distinct, as in a real catalogue.
const BRANDS: ReadonlyArray<readonly [string, string]> = [
  ['星河', 'Xinghe'], ['云帆', 'Yunfan'], ['青禾', 'Qinghe'], ['极光', 'Aurora'], ['松果', 'Pinecone'], ['北辰', 'Beichen'], ['南风', 'Nanfeng'],
  ['远山', 'Farhill'], ['晨曦', 'Dawnlight'], ['海豚', 'Dolphin'], ['白鹭', 'Egret'], ['金橙', 'Goldorange'], ['蓝鲸', 'Bluewhale'], ['赤兔', 'Redhare'],
  ['银杏', 'Ginkgo'], ['紫藤', 'Wisteria'], ['火山', 'Volcano'], ['冰川', 'Glacier'], ['雷霆', 'Thunder'], ['清泉', 'Clearspring'], ['麦田', 'Wheatfield'],
  ['竹影', 'Bamboo'], ['星环', 'Starring'], ['朗月', 'Moonlight'], ['木棉', 'Kapok'],
];
const CODE_LETTERS = 'ABCDEFGHKMNPRSTVWXYZ';

type Template = (product: string, edition: string) => string;
interface Topic {
  key: string;
  category: string;
  zh: [Template, Template, Template];
  en: [Template, Template];
  answerZh: (product: string, edition: string, days: number) => string;
  answerEn: (product: string, edition: string, days: number) => string;
}
const TOPICS: readonly Topic[] = [
  { key: 'return', category: '退货', zh: [(p, e) => `${p}${e}怎么退货`, (p, e) => `${e}${p}不想要了能退吗`, (p, e) => `${p}${e}退货流程`], en: [(p, e) => `How do I return the ${p} ${e}?`, (p, e) => `can I send back my ${e} ${p}`], answerZh: (p, e, d) => `${p}${e}签收后 ${d} 天内可申请退货，在订单详情点"申请售后"。`, answerEn: (p, e, d) => `You can return the ${p} ${e} within ${d} days of delivery from the order page.` },
  { key: 'warranty', category: '保修', zh: [(p, e) => `${p}${e}保修多久`, (p, e) => `${e}${p}坏了能保修吗`, (p, e) => `${p}${e}质保期是多长时间`], en: [(p, e) => `How long is the warranty on the ${p} ${e}?`, (p, e) => `is my ${e} ${p} still under warranty`], answerZh: (p, e, d) => `${p}${e}整机保修 ${d} 个月，凭订单即可申请。`, answerEn: (p, e, d) => `The ${p} ${e} has a ${d}-month warranty; your order is your proof of purchase.` },
  { key: 'install', category: '安装', zh: [(p, e) => `${p}${e}包安装吗`, (p, e) => `${e}${p}需要自己装吗`, (p, e) => `${p}${e}上门安装收费吗`], en: [(p, e) => `Is installation included for the ${p} ${e}?`, (p, e) => `do I have to set up the ${e} ${p} myself`], answerZh: (p, e, d) => `${p}${e}支持免费上门安装，签收后 ${d} 天内预约。`, answerEn: (p, e, d) => `Free installation of the ${p} ${e} can be booked within ${d} days of delivery.` },
  { key: 'stock', category: '库存', zh: [(p, e) => `${p}${e}什么时候有货`, (p, e) => `${e}${p}缺货了还补吗`, (p, e) => `${p}${e}到货通知`], en: [(p, e) => `When will the ${p} ${e} be back in stock?`, (p, e) => `notify me when the ${e} ${p} is available`], answerZh: (p, e, d) => `${p}${e}预计 ${d} 天内补货，可点"到货通知"。`, answerEn: (p, e, d) => `The ${p} ${e} should be back within ${d} days; tap "Notify me".` },
  { key: 'price', category: '价格', zh: [(p, e) => `${p}${e}多少钱`, (p, e) => `${e}${p}有优惠吗`, (p, e) => `${p}${e}降价能退差价吗`], en: [(p, e) => `How much is the ${p} ${e}?`, (p, e) => `is there a discount on the ${e} ${p}`], answerZh: (p, e, d) => `${p}${e}以商品页价格为准，支持 ${d} 天价保。`, answerEn: (p, e, d) => `The ${p} ${e} price is on its product page, with ${d}-day price protection.` },
  { key: 'shipping', category: '配送', zh: [(p, e) => `${p}${e}几天能到`, (p, e) => `${e}${p}发什么快递`, (p, e) => `${p}${e}什么时候发货`], en: [(p, e) => `How long does the ${p} ${e} take to arrive?`, (p, e) => `when will my ${e} ${p} ship`], answerZh: (p, e, d) => `${p}${e}下单后 48 小时内发货，一般 ${d} 天送达。`, answerEn: (p, e, d) => `The ${p} ${e} ships within 48 hours and usually arrives in ${d} days.` },
  { key: 'specs', category: '参数', zh: [(p, e) => `${p}${e}参数是什么`, (p, e) => `${e}${p}和别的型号有什么区别`, (p, e) => `${p}${e}尺寸多大`], en: [(p, e) => `What are the specs of the ${p} ${e}?`, (p, e) => `how is the ${e} ${p} different from other models`], answerZh: (p, e, d) => `${p}${e}的完整参数在商品页"规格"栏，共 ${d} 项。`, answerEn: (p, e, d) => `Full specs of the ${p} ${e} (${d} items) are under "Specifications".` },
  { key: 'repair', category: '维修', zh: [(p, e) => `${p}${e}坏了怎么修`, (p, e) => `${e}${p}维修去哪里`, (p, e) => `${p}${e}维修要多久`], en: [(p, e) => `How do I get the ${p} ${e} repaired?`, (p, e) => `where can I fix my ${e} ${p}`], answerZh: (p, e, d) => `${p}${e}可在线申请寄修，约 ${d} 个工作日修好寄回。`, answerEn: (p, e, d) => `Request a mail-in repair for the ${p} ${e}; it takes about ${d} working days.` },
  { key: 'manual', category: '使用', zh: [(p, e) => `${p}${e}怎么用`, (p, e) => `${e}${p}说明书在哪`, (p, e) => `${p}${e}第一次使用要注意什么`], en: [(p, e) => `How do I use the ${p} ${e}?`, (p, e) => `where is the manual for the ${e} ${p}`], answerZh: (p, e, d) => `${p}${e}的电子说明书在商品页下载，视频教程 ${d} 分钟。`, answerEn: (p, e, d) => `Download the ${p} ${e} manual from its product page; the video guide is ${d} minutes.` },
  { key: 'invoice', category: '发票', zh: [(p, e) => `${p}${e}能开发票吗`, (p, e) => `${e}${p}发票怎么开`, (p, e) => `${p}${e}可以开专票吗`], en: [(p, e) => `Can I get an invoice for the ${p} ${e}?`, (p, e) => `how do I request an invoice for my ${e} ${p}`], answerZh: (p, e, d) => `${p}${e}支持电子发票，确认收货后 ${d} 天内可在订单页申请。`, answerEn: (p, e, d) => `Request an e-invoice for the ${p} ${e} on the order page within ${d} days.` },
];

/** How many distinct entries the generator can make. */
export const MAX_SYNTHETIC_ENTRIES = PRODUCTS.length * BRANDS.length * TOPICS.length;

/** One customer message for load tests, with the language it is in. */
export interface SyntheticQuestion {
  text: string;
  lang: 'zh' | 'en';
}

/**
 * Writes `count` entries (at most products × editions × topics) under `dir`, one YAML file per
 * topic, and returns customer questions for load tests (a paraphrase of a random entry, 70% zh).
 */
export function writeSyntheticKb(dir: string, count: number, seed = 7): SyntheticQuestion[] {
  if (count > MAX_SYNTHETIC_ENTRIES) throw new Error(`at most ${MAX_SYNTHETIC_ENTRIES} synthetic entries`);
  const random = seededRandom(seed);
  const byTopic = new Map<string, Array<Record<string, unknown>>>();
  const questions: SyntheticQuestion[] = [];
  for (let index = 0; index < count; index += 1) {
    const topic = TOPICS[index % TOPICS.length] as Topic;
    const slot = Math.floor(index / TOPICS.length);
    const [product, productEn] = PRODUCTS[slot % PRODUCTS.length] as readonly [string, string];
    const [brandZh, brandEn] = BRANDS[Math.floor(slot / PRODUCTS.length) % BRANDS.length] as readonly [string, string];
    const code = `${CODE_LETTERS[slot % CODE_LETTERS.length] ?? 'A'}${10 + ((slot * 37) % 90)}`;
    const [productZh, editionZh, editionEn] = [`${brandZh}${product}`, code, `${brandEn} ${code}`];
    const days = 3 + Math.floor(random() * 27);
    const zh = topic.zh.map((template) => template(productZh, editionZh));
    const en = topic.en.map((template) => template(productEn, editionEn));
    const list = byTopic.get(topic.key) ?? [];
    byTopic.set(topic.key, list);
    list.push({
      id: `syn-${topic.key}-${slot}`,
      title: { zh: zh[0], en: en[0] },
      tags: [topic.category, productZh],
      questions: { zh, en },
      answer: { zh: topic.answerZh(productZh, editionZh, days), en: topic.answerEn(productEn, editionEn, days) },
    });
    questions.push(random() < 0.7 ? { text: `请问${pickOne(zh, random)}`, lang: 'zh' } : { text: `Hi, ${pickOne(en, random).toLowerCase()}`, lang: 'en' });
  }
  for (const topic of TOPICS) {
    const entries = byTopic.get(topic.key);
    if (!entries) continue;
    const folder = path.join(dir, '合成', topic.category);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'faq.yaml'), stringify({ entries }, { lineWidth: 0 }));
  }
  return questions;
}
