/* chapters: show chapter n (0 = overview): its text, the navigation state, its places highlighted
   and framed, and a spoken announcement. */
function chapters(sm) {
  var data = sm.data, state = sm.state;
  function clamp(n) { return Math.max(0, Math.min(sm.chapterCount, n)); }
  sm.chapterPlaces = function (n) {
    return n === 0 ? data.places.map(function (p) { return p.id; }) : data.chapters[n - 1].places;
  };
  /* opts: animate (default true), announce (default true), quiet (do not write the hash). */
  sm.showChapter = function (n, opts) {
    opts = opts || {};
    n = clamp(n);
    state.chapter = n;
    /* Only what changes is written: at start-up nothing is, and no layout is forced. */
    $$(".sm-chapter").forEach(function (sec) {
      var hide = Number(sec.getAttribute("data-chapter")) !== n;
      if (sec.hidden !== hide) { sec.hidden = hide; }
    });
    var body = $(".sm-panel-body");
    if (body && !sm.booting) { body.scrollTop = 0; }  /* a page that has just opened is not scrolled */
    var sel = $("#sm-chapter-select");
    if (sel && sel.value !== String(n)) { sel.value = String(n); }
    var prog = $(".sm-progress");
    var progress = n + " / " + sm.chapterCount;
    if (prog && prog.textContent !== progress) { prog.textContent = progress; }
    var prev = $(".sm-prev"), next = $(".sm-next");
    if (prev && prev.disabled !== (n === 0)) { prev.disabled = n === 0; }
    if (next && next.disabled !== (n === sm.chapterCount)) { next.disabled = n === sm.chapterCount; }
    var ids = sm.chapterPlaces(n);
    if (n !== 0 || state.highlighted) { sm.highlight(n === 0 ? null : ids); }
    state.highlighted = n !== 0;
    sm.frameChapter(n, opts.animate !== false);
    if (opts.announce !== false && sm.live) {
      var title = n === 0 ? "Overview" : (data.chapters[n - 1].title || (n === 1 ? "Introduction" : "Chapter " + n));
      sm.live.textContent = (n === 0 ? "" : "Chapter " + n + " of " + sm.chapterCount + ": ") + title +
        ". " + ids.length + (ids.length === 1 ? " place." : " places.");
    }
    if (!opts.quiet) { sm.writeHash(); }
    sm.emit("chapter", n);
  };
  var prevBtn = $(".sm-prev"), nextBtn = $(".sm-next"), select = $("#sm-chapter-select");
  if (prevBtn) { prevBtn.addEventListener("click", function () { sm.showChapter(state.chapter - 1); }); }
  if (nextBtn) { nextBtn.addEventListener("click", function () { sm.showChapter(state.chapter + 1); }); }
  if (select) { select.addEventListener("change", function () { sm.showChapter(parseInt(select.value, 10)); }); }
}
