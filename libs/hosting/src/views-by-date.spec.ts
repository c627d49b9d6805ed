import { ViewsByDate } from './views-by-date';

describe('views of a district as of past dates, folded once per revision', () => {
  it('folds a date once per revision, again after a new decision, and keeps the latest dates asked', () => {
    const views = new ViewsByDate<string>(2);
    const folds: string[] = [];
    const fold = (label: string) => () => {
      folds.push(label);
      return label;
    };
    expect(views.view('chengguan', 7, '2013-01-01', fold('a'))).toBe('a');
    expect(views.view('chengguan', 7, '2013-01-01', fold('again'))).toBe('a');
    expect(views.view('qilihe', 3, '2013-01-01', fold('q'))).toBe('q');
    expect(views.view('chengguan', 7, '2014-01-01', fold('b'))).toBe('b');
    expect(views.view('chengguan', 7, '2013-01-01', fold('again'))).toBe('a');
    // A third date drops the least recently asked (2014), not 2013 asked just now.
    expect(views.view('chengguan', 7, '2015-01-01', fold('c'))).toBe('c');
    expect(views.view('chengguan', 7, '2013-01-01', fold('again'))).toBe('a');
    expect(views.view('chengguan', 7, '2014-01-01', fold('b2'))).toBe('b2');
    expect(views.view('chengguan', 8, '2013-01-01', fold('a2'))).toBe('a2');
    expect(folds).toEqual(['a', 'q', 'b', 'c', 'b2', 'a2']);
  });

  it('keeps a view across decisions that the caller says leave it as it is', () => {
    const views = new ViewsByDate<string>(2);
    const asked: Array<[number, string]> = [];
    const unchanged = (answer: boolean) => (foldedAt: number, view: string) => {
      asked.push([foldedAt, view]);
      return answer;
    };
    expect(views.view('chengguan', 7, '2013-01-01', () => 'a')).toBe('a');
    expect(views.view('chengguan', 9, '2013-01-01', () => 'refolded', unchanged(true))).toBe('a');
    // Kept at revision 9 now: the next question asks from there.
    expect(views.view('chengguan', 12, '2013-01-01', () => 'refolded', unchanged(false))).toBe('refolded');
    expect(asked).toEqual([
      [7, 'a'],
      [9, 'a'],
    ]);
    expect(views.view('chengguan', 12, '2013-01-01', () => 'again', unchanged(false))).toBe('refolded');
    expect(asked).toHaveLength(2);
  });
});
