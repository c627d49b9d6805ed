import {
  findPersonalData,
  isNationalIdNumber,
  nationalIdCheckCharacter,
  personalDataKindOf,
} from './personal-data';

/** 620102 (城关区) born 1990-01-01, sequence 123: its check digit is 3 (ISO 7064 MOD 11-2). */
const VALID_ID = '620102199001011233';

describe('PERSONAL-DATA detector (the one all three services use)', () => {
  it('computes the ISO 7064 MOD 11-2 check character, X for 10', () => {
    expect(nationalIdCheckCharacter(VALID_ID)).toBe('3');
    // 11010519491231002X is the standard's own example (GB 11643-1999).
    expect(nationalIdCheckCharacter('11010519491231002')).toBe('X');
    expect(isNationalIdNumber('11010519491231002X')).toBe(true);
    expect(isNationalIdNumber('11010519491231002x')).toBe(true);
  });

  it('catches an 18-digit id number with a right check digit, bare, grouped, full-width or inside text', () => {
    for (const text of [
      VALID_ID,
      `p-${VALID_ID}`,
      `申请人 ${VALID_ID} 提交`,
      '620102 19900101 1233',
      '620102-19900101-123-3',
      '６２０１０２１９９００１０１１２３３',
    ])
      expect([text, personalDataKindOf(text)]).toEqual([text, 'national-id-number']);
  });

  it('catches the 15-digit form with a plausible birth date, not one without', () => {
    expect(personalDataKindOf('620102900101123')).toBe('national-id-number');
    expect(personalDataKindOf('620102901301123')).toBeUndefined(); // month 13
    expect(personalDataKindOf('620102900230123')).toBeUndefined(); // 30 February
  });

  it('does NOT flag an 18-digit number with a wrong check digit (a plain long document number)', () => {
    expect(personalDataKindOf('620102199001011234')).toBeUndefined();
    expect(personalDataKindOf('档案号 123456789012345678')).toBeUndefined();
    expect(personalDataKindOf('620102199013011233')).toBeUndefined(); // no such date
    // A digit run longer than an id number is a reference, not an id number.
    expect(personalDataKindOf(`${VALID_ID}5`)).toBeUndefined();
    expect(personalDataKindOf('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('flags a number labelled as an identity card number even with a wrong check digit', () => {
    expect(personalDataKindOf('身份证620102199001011234')).toBe('national-id-number');
    expect(personalDataKindOf('身份证号码：62010219900101123x')).toBe('national-id-number');
    expect(personalDataKindOf('ID card no. 620102900101129')).toBe('national-id-number');
  });

  it('flags a birth date next to a birth keyword, not a bare date or an effective date', () => {
    for (const text of [
      '出生日期：1990-01-01',
      '生于1990年1月1日',
      '1990年1月1日出生',
      'born 1990/01/01',
      'DOB 19900101',
    ])
      expect([text, personalDataKindOf(text)]).toEqual([text, 'birth-date']);
    for (const text of [
      '兰政发〔2013〕5号 2013-05-01',
      '2013年5月1日生效',
      '民政部令第1号（1990-01-01施行）',
    ])
      expect([text, personalDataKindOf(text)]).toEqual([text, undefined]);
  });

  it('names the path of every string holding one, deep in objects and arrays', () => {
    expect(
      findPersonalData({
        name: '雁北社区',
        parts: [{ name: 'ok' }, { name: `张三 ${VALID_ID}` }],
        note: '出生 1990-01-01',
        households: 620102900101123, // a number is not text: not checked
      }),
    ).toEqual([
      { path: ['parts', 1, 'name'], kind: 'national-id-number' },
      { path: ['note'], kind: 'birth-date' },
    ]);
  });
});
