"""The one way an export file is sent to a browser or a script."""

from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers


def export_file_response(download) -> FileResponse | HttpResponseRedirect:
    """An attachment with the server-made name, the format's content type, never cached or sniffed.

    `download` is what exports.services.export_open_download returns (.file, .name, .content_type, .size,
    .url). With a pre-signed `url` (EXPORT_DOWNLOAD_MODE=redirect) the answer is a redirect to it; the
    permission check and the audit record have already happened.
    """
    if download.url:
        redirect = HttpResponseRedirect(download.url)
        add_never_cache_headers(redirect)
        return redirect
    response = FileResponse(
        download.file, as_attachment=True, filename=download.name, content_type=download.content_type
    )
    if download.size is not None:
        response["Content-Length"] = str(download.size)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response
