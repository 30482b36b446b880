package dev.patchbay.store;

import java.util.List;

/** One page of a list, and whether another follows. Queries fetch one row more than the page size to know. */
public record Page<T>(List<T> items, int page, int pageSize, boolean hasNext) {

    public static <T> Page<T> of(List<T> fetched, int page, int pageSize) {
        boolean more = fetched.size() > pageSize;
        return new Page<>(more ? List.copyOf(fetched.subList(0, pageSize)) : List.copyOf(fetched), page, pageSize, more);
    }
}
