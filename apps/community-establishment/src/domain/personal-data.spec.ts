import { chengguan } from './testing/given-when-then';

/**
 * PERSONAL-DATA in the establishment domain: whatever reached decide (the HTTP edge refuses it
 * first), a national identity number (check digit right) or a birth date in any field is refused,
 * naming the field, and nothing is decided.
 */
const ID_NUMBER = '620102199001011233';

describe('PERSONAL-DATA: no national identity number or birth date enters an establishment event', () => {
  it('refuses an id number in a name, naming the field', () => {
    chengguan()
      .when(
        'SetUpPartyOrganization',
        { communityId: 'dongfanghong', name: `张三 ${ID_NUMBER}` },
        '2013-03-01',
      )
      .thenRefused('PERSONAL-DATA', { fields: ['data.name'] });
  });

  it('refuses an id number as a person id and a birth date in a post', () => {
    chengguan()
      .when(
        'AssignPost',
        { personId: ID_NUMBER, communityId: 'dongfanghong', body: 'residents-committee', post: '主任' },
        '2013-03-01',
      )
      .thenRefused('PERSONAL-DATA', { fields: ['data.personId'] });
    chengguan()
      .when(
        'AssignPost',
        {
          personId: 'p-1',
          communityId: 'dongfanghong',
          body: 'residents-committee',
          post: '主任 出生1990-01-01',
        },
        '2013-03-01',
      )
      .thenRefused('PERSONAL-DATA', { fields: ['data.post'] });
  });

  it('accepts a long document number whose check digit is wrong', () => {
    chengguan()
      .when(
        'SetUpPartyOrganization',
        { communityId: 'dongfanghong', name: '中共东方红社区委员会（档案620102199001011234）' },
        '2013-03-01',
      )
      .thenEvents('ORG-1', [
        {
          type: 'PartyOrganizationSetUp',
          data: { communityId: 'dongfanghong', name: '中共东方红社区委员会（档案620102199001011234）' },
        },
      ]);
  });
});
