import { Facilities, PROJECT } from './testing/given-when-then';
import { Funding } from './testing/given-when-then';

/**
 * PERSONAL-DATA in the facility domain (both deciders): whatever reached decide, a national
 * identity number (check digit right) or a birth date in any field is refused, naming the field.
 */
const ID_NUMBER = '620102199001011233';

describe('PERSONAL-DATA: no national identity number or birth date enters a facility or funding event', () => {
  it('refuses an id number as the developer, in the project name and as the community id', () => {
    new Facilities()
      .when('RegisterConstructionProject', { ...PROJECT, developer: `个人开发商 ${ID_NUMBER}` }, '2012-03-01')
      .thenRefused('PERSONAL-DATA', { fields: ['data.developer'] });
    new Facilities()
      .when('RegisterConstructionProject', { ...PROJECT, name: '１５岁 出生日期 2001年2月3日' }, '2012-03-01')
      .thenRefused('PERSONAL-DATA', { fields: ['data.name'] });
    new Facilities()
      .when('RegisterConstructionProject', { ...PROJECT, communityId: ID_NUMBER }, '2012-03-01')
      .thenRefused('PERSONAL-DATA', { fields: ['data.communityId'] });
  });

  it('refuses an id number in the source of a funding record', () => {
    new Funding()
      .when(
        'RecordUrbanPopulation',
        { district: 'chengguan', year: 2013, urbanPopulation: 1000, source: `填报人 ${ID_NUMBER}` },
        '2013-01-15',
      )
      .thenRefused('PERSONAL-DATA', { fields: ['data.source'] });
  });

  it('accepts a project whose name carries a document number with a wrong check digit', () => {
    new Facilities()
      .when(
        'RegisterConstructionProject',
        { ...PROJECT, name: '雁滩新苑 620102199001011234号地块' },
        '2012-03-01',
      )
      .thenEvents('FAC-1', [{ type: 'ConstructionProjectRegistered', data: expect.anything() }]);
  });
});
