package dev.patchbay.api;

import dev.patchbay.store.Page;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Twilio's list envelope: the items under a named key plus page, page_size, uris and start/end. */
final class Paging {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;

    private Paging() {
    }

    record Request(int page, int pageSize) {
        static Request from(Form form) {
            return new Request(form.integer("Page", 0, 0, 1_000_000), form.integer("PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE));
        }
    }

    /**
     * @param path  the list's path without query, such as {@code /2010-04-01/Accounts/AC.../Calls.json}
     * @param query the request's filters, already encoded ({@code "&To=%2B1..."}), kept in every page link
     */
    static <T> Map<String, Object> envelope(String key, Page<T> page, Function<T, Map<String, Object>> render,
                                            String path, String query) {
        List<Map<String, Object>> items = page.items().stream().map(render).toList();
        int start = page.page() * page.pageSize();
        return Json.object()
                .put("first_page_uri", link(path, 0, page.pageSize(), query))
                .put("end", items.isEmpty() ? start : start + items.size() - 1)
                .put("previous_page_uri", page.page() > 0 ? link(path, page.page() - 1, page.pageSize(), query) : null)
                .put(key, items)
                .put("uri", link(path, page.page(), page.pageSize(), query))
                .put("page_size", page.pageSize())
                .put("start", start)
                .put("next_page_uri", page.hasNext() ? link(path, page.page() + 1, page.pageSize(), query) : null)
                .put("page", page.page())
                .map();
    }

    private static String link(String path, int page, int pageSize, String query) {
        return path + "?PageSize=" + pageSize + "&Page=" + page + query;
    }
}
