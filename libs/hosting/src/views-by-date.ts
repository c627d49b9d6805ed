/**
 * The views of a district as of past dates, each folded once and kept while the district's later
 * decisions leave it as it is: the questions of one page (or of the city, district by district)
 * ask about one date, and folding a grown district's history takes a while each time. A new
 * decision (a new revision) folds again, unless the caller can tell that nothing decided since
 * the view was folded changes it (`unchangedSince`: no correction, every new decision effective
 * after the date), as with decisions of today in a district asked about years ago. A few dates
 * are kept per district, the least recently asked dropped first; queries only read a view.
 */
export class ViewsByDate<V> {
  private readonly byDistrict = new Map<string, Map<string, { revision: number; view: V }>>();

  constructor(private readonly datesPerDistrict = 4) {}

  view(
    district: string,
    revision: number,
    date: string,
    fold: () => V,
    unchangedSince?: (foldedAt: number, view: V) => boolean,
  ): V {
    let views = this.byDistrict.get(district);
    if (!views) this.byDistrict.set(district, (views = new Map()));
    const kept = views.get(date);
    views.delete(date);
    if (
      kept &&
      (kept.revision === revision || (kept.revision < revision && unchangedSince?.(kept.revision, kept.view)))
    ) {
      kept.revision = revision;
      views.set(date, kept);
      return kept.view;
    }
    const view = fold();
    views.set(date, { revision, view });
    if (views.size > this.datesPerDistrict) views.delete(views.keys().next().value!);
    return view;
  }
}
