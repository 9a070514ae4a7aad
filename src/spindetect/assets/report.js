(() => {
  const lit = [];
  const light = (link) => {
    for (const element of lit.splice(0)) element.classList.remove("lit");
    for (const element of document.querySelectorAll(`[data-link="${link}"]`)) {
      element.classList.add("lit");
      lit.push(element);
    }
  };
  const place = (swap) => {
    const tip = swap.querySelector(".tip");
    const box = swap.getBoundingClientRect();
    tip.style.position = "fixed";
    const below = box.bottom + 6 + tip.offsetHeight < innerHeight;
    tip.style.top = `${below ? box.bottom + 6 : box.top - 6 - tip.offsetHeight}px`;
    tip.style.left = `${Math.max(8, Math.min(box.left, innerWidth - tip.offsetWidth - 8))}px`;
  };
  const hover = (event) => {
    const target = event.target.closest("[data-link]");
    light(target ? target.dataset.link : "");
    if (target && target.classList.contains("swap")) place(target);
  };
  document.addEventListener("mouseover", hover);
  document.addEventListener("focusin", hover);
  const show = () => {
    const shown = (location.hash && document.getElementById(location.hash.slice(1)))
      || document.querySelector("#article .swap.flagged")
      || document.querySelector("#article .passage");
    if (!shown || !shown.dataset.link) return;
    for (const element of document.querySelectorAll(`[data-link="${shown.dataset.link}"]`)) {
      const column = element.closest(".text");
      column.scrollTop += element.getBoundingClientRect().top
        - column.getBoundingClientRect().top - column.clientHeight / 3;
    }
    light(shown.dataset.link);
    if (shown.classList.contains("swap")) place(shown);
  };
  addEventListener("hashchange", show);
  addEventListener("load", show);
})();
