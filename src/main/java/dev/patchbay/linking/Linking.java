package dev.patchbay.linking;

/** The linking system's parts, built once by the node and handed to the calls and the REST API. */
public record Linking(Modules modules, Installations installations, Flows flows, Dispatcher dispatcher, CallState state,
                      ModuleEvents events) {
}
