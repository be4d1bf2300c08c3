// The enlarged picture of an attachment's thumbnail, shown in the page's picture dialog
// (partials/attachments.html). Without JavaScript the thumbnail's link opens it in a new tab.
(() => {
  if (window.cqmPictureViewer) return; // the partial may be on a page more than once
  window.cqmPictureViewer = true;
  document.addEventListener("show.bs.modal", (event) => {
    const viewer = event.target;
    const link = event.relatedTarget;
    if (!viewer.matches(".picture-viewer") || !link) return;
    const picture = document.createElement("img");
    picture.src = link.href;
    picture.alt = link.dataset.pictureName;
    picture.className = "img-fluid object-fit-contain";
    // Set here, not in a style attribute: the Content-Security-Policy refuses inline styles.
    picture.style.maxHeight = "75vh";
    viewer.querySelector("[data-picture-frame]").replaceChildren(picture);
    viewer.querySelector(".modal-title").textContent = link.dataset.pictureName;
    viewer.querySelector("[data-picture-original]").href = link.dataset.pictureOriginal;
  });
})();
