import type { ApiResponse, DemoTokens, RegistryClient } from '../../scripts/demo-story';

/** EST-8: 雁南社区 established in 城关区 with one existing town area. */
const YANNAN_COMMITTEE = {
  effectiveAt: '2010-09-01',
  legalBasis: '城关区政发〔2010〕88号',
  communityId: 'cg-yannan',
  committeeId: 'cg-yannan-rc',
  name: '雁南社区居民委员会',
  newAreas: [
    {
      areaId: 'cg-yannan-old',
      name: '雁南老街区',
      kind: 'existing-town-area',
      subDistrict: '雁南街道',
      households: 500,
    },
  ],
};

/**
 * Establishes 雁南社区 through the establishment API as an officer of 城关区: a first decision
 * that a fresh registry accepts (201).
 */
export async function establishYannan(api: RegistryClient, tokens: DemoTokens): Promise<ApiResponse> {
  const res = await api.post('/api/districts/chengguan/committees', tokens.chengguan, YANNAN_COMMITTEE);
  expect(res.status).toBe(201);
  return res;
}
