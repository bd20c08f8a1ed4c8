/**
 * Ten-turn conversations in which users type their names, ID numbers and phone numbers, each
 * unique to one session, so a leak into the logs can be traced to its message.
 */

const SURNAMES = ['张', '李', '王', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '桂英', '建华', '志强', '海燕'];

export interface Persona {
  name: string;
  idNumber: string;
  phone: string;
}

/** A distinct name, 18-digit ID number and mobile number for session `i` (i < 20,000). */
export function persona(i: number): Persona {
  const name = SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]! + (i >= 200 ? GIVEN[Math.floor(i / 200) % GIVEN.length]! : '');
  const serial = String(i).padStart(5, '0');
  return {
    name: name.slice(0, 3),
    idNumber: `1101011990${serial}${String(i % 10)}2${i % 2 ? 'X' : '7'}`,
    phone: `139${String(70_000_000 + i).padStart(8, '0')}`,
  };
}

/** The user's ten messages. */
export function conversation(p: Persona): string[] {
  return [
    `你好，我叫${p.name}，想咨询医保转移`,
    '我的医保余额能从青岛转到南京吗？',
    '职工医保',
    '还没退休',
    '已经在南京参保了',
    `我的身份证号是${p.idNumber}，帮我查一下`,
    '转移要多长时间？',
    '2026年4月28日受理的',
    `我的电话${p.phone}，断缴3个月能补缴吗`,
    '谢谢',
  ];
}

/** Every personal value the sessions typed, for the log check. */
export function secretsOf(people: Persona[]): string[] {
  return people.flatMap((p) => [p.name, p.idNumber, p.phone]);
}
