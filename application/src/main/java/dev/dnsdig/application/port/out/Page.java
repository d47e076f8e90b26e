package dev.dnsdig.application.port.out;

import java.util.List;

/** A page of a listing and whether more follow after its last item. */
public record Page<T>(List<T> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }
}
