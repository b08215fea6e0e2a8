package dev.usageevents.rest.console;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A stacked bar chart drawn on the server as SVG: one bar per window (an empty window is a bar of height zero, not
 * a gap), one segment per series (a customer, or the rest of them as "others").
 */
@TemplateData
record ChartView(int width, int height, List<Bar> bars, List<Tick> ticks, List<Series> series, String max) {

    @TemplateData
    record Segment(double x, double y, double w, double h, String css, String title) {
    }

    @TemplateData
    record Bar(List<Segment> segments, String label, double labelX) {
    }

    @TemplateData
    record Tick(double y, String label) {
    }

    @TemplateData
    record Series(String name, String css, String total) {
    }
}
