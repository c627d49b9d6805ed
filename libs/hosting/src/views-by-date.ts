/**
 * The views of a district as of past dates, each folded once per stream revision: the questions
 * of one page (or of the city, district by district) ask about one date, and folding a grown
 * district's history takes a while each time. A new decision (a new revision) folds again. A few
 * dates are kept per district, the least recently asked dropped first; queries only read a view.
 */
export class ViewsByDate<V> {
  private readonly byDistrict = new Map<string, { revision: number; views: Map<string, V> }>();

  constructor(private readonly datesPerDistrict = 4) {}

  view(district: string, revision: number, date: string, fold: () => V): V {
    let entry = this.byDistrict.get(district);
    if (!entry || entry.revision !== revision) {
      entry = { revision, views: new Map() };
      this.byDistrict.set(district, entry);
    }
    const kept = entry.views.get(date);
    if (kept !== undefined) {
      entry.views.delete(date);
      entry.views.set(date, kept);
      return kept;
    }
    const view = fold();
    entry.views.set(date, view);
    if (entry.views.size > this.datesPerDistrict) entry.views.delete(entry.views.keys().next().value!);
    return view;
  }
}
